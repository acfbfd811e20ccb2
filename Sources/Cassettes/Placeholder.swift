// Replaced by the Cassettes implementation; keeps the target non-empty until it lands.
