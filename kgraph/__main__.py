from kgraph.cli import main

# Guarded: worker processes (Dask, spawn) import this module again.
if __name__ == "__main__":
    main()
