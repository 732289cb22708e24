"""Imports every module that defines tables, so SQLModel.metadata knows the whole schema."""

from sqlmodel import SQLModel

metadata = SQLModel.metadata
