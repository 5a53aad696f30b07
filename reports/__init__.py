"""Exports that leave the app: chart images, XLSX tables and the weekly deck (PPTX/PDF).

Import the submodule you need (reports.images, reports.xlsx, reports.deck); this package imports
nothing heavy so a page pays only for what it uses.
"""
