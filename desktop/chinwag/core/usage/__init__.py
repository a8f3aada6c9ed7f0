"""What calls cost and who may make them: prices, the ledger, metering, budgets, call logs."""
