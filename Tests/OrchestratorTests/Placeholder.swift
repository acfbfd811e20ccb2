// Tests for the orchestrator land with its implementation.
