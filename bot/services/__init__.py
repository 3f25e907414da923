"""Service layer: turns Slack input into storage transactions and Slack output."""
