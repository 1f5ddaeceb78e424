"""briefgen: decision-ready comparison briefs from version-controlled policy options."""

__version__ = "0.1.0"
