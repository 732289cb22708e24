"""Puente: legal information on the immigration consequences of drug-related criminal cases."""
