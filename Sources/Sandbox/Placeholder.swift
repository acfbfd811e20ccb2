// Replaced by the Sandbox implementation; keeps the target non-empty until it lands.
