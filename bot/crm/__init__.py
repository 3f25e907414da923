"""CRM connectors: our verdicts written into the team's CRM through the outbox."""
