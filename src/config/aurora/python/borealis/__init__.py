"""Borealis's template library for .aurora files: `from borealis.templates import *`.
See docs/templates.md.
"""
