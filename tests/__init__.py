"""Tests of the portfolio Pulumi program, its components and the renderer."""
