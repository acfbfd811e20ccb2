// Replaced by the CassetteTesting implementation; keeps the target non-empty until it lands.
