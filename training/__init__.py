"""Training-side code: dataset loaders, derived labels, model training and evaluation.

Nothing here is imported by the service at request time; the datasets are read from a data
directory given on the command line and are never copied into the repository.
"""
