"""Platform adapters: console, Slack, Discord. Each keeps its SDK to itself."""
