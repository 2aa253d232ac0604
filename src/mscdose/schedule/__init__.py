"""Schedules: the model, the grammar that reads them, regimens with dates, calendar export."""
