"""Wushe Desktop (五社联动 社工站桌面端): offline records for township social-work stations."""

__version__ = "0.3.0"
