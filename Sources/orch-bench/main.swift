print("orch-bench: no benchmarks yet")
