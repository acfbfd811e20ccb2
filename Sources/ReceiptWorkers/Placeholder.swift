// Replaced by the ReceiptWorkers implementation; keeps the target non-empty until it lands.
