"""Outreach partners: share codes, links, QR codes and their staff admin."""
