"""Borealis's implementation of Apache Aurora's configuration DSL (.aurora files).

Bundled into the borealis binary and run in its embedded interpreter; see
src/config/aurora/aurora_loader.h and docs/aurora-configs.md.
"""
