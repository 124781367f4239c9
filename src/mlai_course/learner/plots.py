"""Plot defaults so every notebook's figures look alike and stay readable."""

import matplotlib as mpl

# Colours for the two roles, chosen to stay distinct for common colour-vision
# deficiencies (blue/orange from the Okabe-Ito palette). "Both" is grey.
ROLE_COLOURS = {"ML Engineer": "#0072B2", "AI Engineer": "#E69F00", "Both": "#999999"}


def use_course_style() -> None:
    """Apply the course's matplotlib defaults: readable sizes, light grid, no top/right spines."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7, 4),
            "figure.dpi": 100,
            "axes.titlesize": 13,
            "axes.labelsize": 11,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )


def role_colour(role: str) -> str:
    """Return the course colour for 'ML Engineer', 'AI Engineer' or 'Both'."""
    try:
        return ROLE_COLOURS[role]
    except KeyError:
        raise ValueError(f"Unknown role {role!r}; expected one of {sorted(ROLE_COLOURS)}") from None
