"""The pure core: segmentation, markup, features, model and scoring; no Flask below this line."""
