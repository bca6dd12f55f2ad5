//! Sign-in throttling: attempts are limited per account and per client address, so that
//! neither guessing one agent's password nor spraying many accounts from one machine gets
//! far. Unknown emails are throttled exactly like known ones (no way to tell them apart).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// How many attempts, then how fast they come back.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub burst: u32,
    /// One more attempt is allowed after each period.
    pub every: Duration,
}

impl Limit {
    fn quota(self) -> Quota {
        Quota::with_period(self.every.max(Duration::from_millis(1)))
            .expect("a period above zero")
            .allow_burst(NonZeroU32::new(self.burst.max(1)).expect("at least one"))
    }
}

/// Per account: 5 attempts, then one a minute.
pub const PER_ACCOUNT: Limit = Limit { burst: 5, every: Duration::from_secs(60) };
/// Per client address: 30 attempts, then one every 2 seconds (a contact centre signs in
/// from behind one address at nine o'clock).
pub const PER_ADDRESS: Limit = Limit { burst: 30, every: Duration::from_secs(2) };

pub struct SignInThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
}

impl SignInThrottle {
    pub fn new(per_account: Limit, per_address: Limit) -> Self {
        SignInThrottle {
            accounts: DefaultKeyedRateLimiter::keyed(per_account.quota()),
            addresses: DefaultKeyedRateLimiter::keyed(per_address.quota()),
        }
    }

    /// Counts an attempt for `email` from `address`; `Err(wait)` when it is one too many.
    /// The address is checked first, so a sprayer does not use up its victims' attempts.
    pub fn attempt(&self, email: &str, address: IpAddr) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.addresses.check_key(&address).map_err(|n| n.wait_time_from(now))?;
        self.accounts.check_key(&email.trim().to_lowercase()).map_err(|n| n.wait_time_from(now))
    }

    /// Forgets keys whose attempts have all come back (the scheduler calls this), so a
    /// flood of made-up emails does not keep memory.
    pub fn forget_idle(&self) {
        self.accounts.retain_recent();
        self.addresses.retain_recent();
        self.accounts.shrink_to_fit();
        self.addresses.shrink_to_fit();
    }

    /// Keys remembered (accounts, addresses).
    pub fn len(&self) -> (usize, usize) {
        (self.accounts.len(), self.addresses.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_limit_comes_first_and_accounts_are_case_blind() {
        let t = SignInThrottle::new(
            Limit { burst: 2, every: Duration::from_secs(60) },
            Limit { burst: 3, every: Duration::from_secs(60) },
        );
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(t.attempt("Lea@x", a).is_ok());
        assert!(t.attempt(" lea@x", b).is_ok());
        let wait = t.attempt("LEA@X", b).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        // `a` has one attempt left for another account, then none.
        assert!(t.attempt("sam@x", a).is_ok());
        assert!(t.attempt("sam@x", a).is_ok());
        assert!(t.attempt("nina@x", a).is_err());
        assert_eq!(t.len(), (2, 2));
    }
}
