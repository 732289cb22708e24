"""Imports every module that defines tables, so SQLModel.metadata knows the whole schema."""

from sqlmodel import SQLModel

import app.models
import app.referrals.models
import app.referrals.revision
import app.staff.models  # noqa: F401

metadata = SQLModel.metadata
