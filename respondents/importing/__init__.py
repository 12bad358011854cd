"""The one import pipeline of respondent rows: files, the REST batch, the admin, the command.

``readers`` turns a CSV or XLSX file into rows of raw values (encoding, separator, header
vocabulary, limits); ``pipeline`` validates them with ``respondents.validation`` and
writes them set-wise; ``services`` holds the import-job writes every entry point calls.
"""
