"""Cameras through OpenCV: V4L2 devices, network streams, video files, image folders."""
