"""For researchers: near-optimal alternatives (MGA) and myopic foresight.

directions.py  what an alternative minimises or maximises (capacity, emissions, imports, random)
mga.py         the cost-slack row and the direction objective on a built model
run.py         the optimum, then every alternative as a Dask task (resumable, failures recorded)
combine.py     the alternatives along an `alternative` dimension in one NetCDF
page.py        capacity ranges, must-build minimum and costs on one HTML page
myopic.py      periods solved in sequence, each seeing only its own period (and a look-ahead)
command.py     the `gridplan alternatives` command
"""
