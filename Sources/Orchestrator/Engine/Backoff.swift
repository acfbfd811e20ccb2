/// The wait before attempt `n + 1` after attempt `n` failed: `backoff × 2^(n-1)`, capped at
/// `maxBackoff`, scaled by `jitter` (a factor the caller draws, 0.5…1 by default) so that
/// retries of parallel steps spread out. A longer `Retry-After` from the server wins.
func retryDelay(after attempt: Int, policy: RetryPolicy, jitter: Double, retryAfter: Duration?) -> Duration {
    let factor = 1 << min(attempt - 1, 30)
    // Capped before multiplying: a long backoff times 2^30 would overflow Duration (a trap).
    let capped = policy.backoff > policy.maxBackoff / factor ? policy.maxBackoff : policy.backoff * factor
    let delay = capped * jitter
    if let retryAfter, retryAfter > delay { return retryAfter }
    return delay
}
