"""vision: calibrate the visual checks' limits."""

from __future__ import annotations

from pathlib import Path

import typer

vision_app = typer.Typer(help="Visual checks: listing match, brand mark.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(vision_app, name="vision")


@vision_app.command("calibrate")
def calibrate_command(
    pairs: Path = typer.Option(..., help="Pairs CSV: catalog, photo, label, kind, classes."),
    out: Path | None = typer.Option(
        None, help="Limits file to update [default: config/vision/match.toml shipped]."
    ),
    false_accept: float = typer.Option(0.01, help="Share of different products let through."),
    false_reject: float = typer.Option(0.05, help="Share of same products called mismatch."),
) -> None:
    """Recompute the listing-match limits (match, mismatch, margin) from labelled pairs."""
    from station.matching.calibrate import calibrate, write_listing_limits
    from station.matching.limits import shipped_limits_file

    def progress(done: int, total: int) -> None:
        typer.echo(f"  {done}/{total} pairs", err=True)

    result = calibrate(pairs, false_accept, false_reject, progress)
    target = out or shipped_limits_file()
    write_listing_limits(target, result, pairs.name)
    typer.echo(
        f"match >= {result.match:.3f} (accepts {result.true_accept:.1%} of same products, "
        f"{result.false_accept:.1%} of different ones); mismatch < {result.mismatch:.3f} "
        f"({result.below_mismatch:.1%} of same products); margin {result.margin:.3f}\n"
        f"written to {target}"
    )
