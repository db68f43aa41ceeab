//! Token buckets for client-side request pacing: [`crate::pacing`] keeps one per AWS quota
//! category, so large stacks are paced instead of throttled.

use std::time::{Duration, Instant};

/// A token bucket: `rate` requests per second with bursts of up to `burst`.
#[derive(Debug)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub fn new(rate: f64, burst: f64, now: Instant) -> Self {
        Bucket {
            rate,
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// Changes the rate (and the burst with it) from now on; tokens above the new burst go.
    pub fn set_rate(&mut self, rate: f64) {
        self.rate = rate;
        self.burst = rate.max(1.0);
        self.tokens = self.tokens.min(self.burst);
    }

    /// Reserves one request at `now` and returns how long to wait before sending it.
    pub fn reserve(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

/// The pacing of one service, shared by every call of one provider.
#[derive(Debug)]
pub struct Limiter {
    bucket: std::sync::Mutex<Bucket>,
}

impl Limiter {
    pub fn new(rate: f64) -> Self {
        Limiter {
            bucket: std::sync::Mutex::new(Bucket::new(rate, rate, Instant::now())),
        }
    }

    /// Waits for this request's turn.
    pub async fn acquire(&self) {
        let wait = self.bucket.lock().expect("lock").reserve(Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_pass_then_requests_are_spaced_by_the_rate() {
        let t0 = Instant::now();
        let mut b = Bucket::new(10.0, 3.0, t0);
        for _ in 0..3 {
            assert_eq!(b.reserve(t0), Duration::ZERO);
        }
        let w1 = b.reserve(t0);
        let w2 = b.reserve(t0);
        assert!((w1.as_secs_f64() - 0.1).abs() < 1e-9, "{w1:?}");
        assert!((w2.as_secs_f64() - 0.2).abs() < 1e-9, "{w2:?}");
        // After a quiet second the bucket is full again (capped at the burst).
        let t1 = t0 + Duration::from_secs(2);
        for _ in 0..3 {
            assert_eq!(b.reserve(t1), Duration::ZERO);
        }
        assert!(b.reserve(t1) > Duration::ZERO);
    }
}
