"""The letter linter (`linter`) and its checks: claims, required elements and text rules."""
