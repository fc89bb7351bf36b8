"""``sandbox serve``: the annotation workbench (a leaf; extra ``web``)."""
