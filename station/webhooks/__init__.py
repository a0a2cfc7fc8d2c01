"""Webhooks: subscriptions, an outbox of deliveries written with each result event,
and the worker that signs (Standard Webhooks) and sends them with retries."""
