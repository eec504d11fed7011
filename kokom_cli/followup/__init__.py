"""Follow-up: everything kokom knows has a date (actions, waivers, evidence, reviews), in one list and a calendar."""
