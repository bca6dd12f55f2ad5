//! Sign-in throttling: attempts are limited per account and per client address, so that
//! neither guessing one agent's password nor spraying many accounts from one machine gets
//! far. Unknown emails are throttled exactly like known ones (no way to tell them apart).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// How many attempts, then how fast they come back.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Failed attempts answered before the key is refused.
    pub burst: u32,
    /// One more attempt is allowed after each period.
    pub every: Duration,
}

impl Limit {
    /// `burst` failures are answered, the last of them running the key out (the
    /// limiter only says "no more" on the failure after its burst).
    fn quota(self) -> Quota {
        Quota::with_period(self.every.max(Duration::from_millis(1)))
            .expect("a period above zero")
            .allow_burst(NonZeroU32::new(self.burst.saturating_sub(1).max(1)).expect("at least one"))
    }
}

/// Per account: 5 failed attempts, then one a minute.
pub const PER_ACCOUNT: Limit = Limit { burst: 5, every: Duration::from_secs(60) };
/// Per client address: 30 failed attempts, then one every 2 seconds.
pub const PER_ADDRESS: Limit = Limit { burst: 30, every: Duration::from_secs(2) };

/// Failed attempts of one kind of key (accounts or addresses). The limiter counts
/// failures only — a contact centre signing in at nine o'clock from behind one address
/// is not an attack — and a key whose failures ran out is refused until the instant the
/// limiter names, without checking the password. Attempts in flight are capped too, or a
/// burst sent all at once would be checked before any of its failures counted.
struct Failures<K: std::hash::Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    keys: Mutex<Keys<K>>,
    in_flight_cap: u32,
}

struct Keys<K> {
    refused_until: HashMap<K, Instant>,
    in_flight: HashMap<K, u32>,
}

impl<K: std::hash::Hash + Eq + Clone> Failures<K> {
    fn new(limit: Limit, in_flight_cap: u32) -> Self {
        let keys = Keys { refused_until: HashMap::new(), in_flight: HashMap::new() };
        Failures { limiter: DefaultKeyedRateLimiter::keyed(limit.quota()), keys: Mutex::new(keys), in_flight_cap }
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, Keys<K>> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `key` must wait, if it must.
    fn refused(&self, keys: &mut Keys<K>, key: &K, now: Instant) -> Option<Duration> {
        if let Some(end) = keys.refused_until.get(key) {
            if *end > now {
                return Some(*end - now);
            }
            keys.refused_until.remove(key);
        }
        (keys.in_flight.get(key).copied().unwrap_or(0) >= self.in_flight_cap).then_some(Duration::from_secs(1))
    }

    fn start(keys: &mut Keys<K>, key: &K) {
        *keys.in_flight.entry(key.clone()).or_default() += 1;
    }

    fn end(&self, key: &K) {
        let mut keys = self.keys();
        if let Some(n) = keys.in_flight.get_mut(key) {
            *n -= 1;
            if *n == 0 {
                keys.in_flight.remove(key);
            }
        }
    }

    fn failed(&self, key: &K) {
        let clock = DefaultClock::default();
        if let Err(not_until) = self.limiter.check_key(key) {
            let wait = not_until.wait_time_from(clock.now());
            self.keys().refused_until.insert(key.clone(), Instant::now() + wait);
        }
    }

    fn forget_idle(&self, now: Instant) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        let mut keys = self.keys();
        keys.refused_until.retain(|_, end| *end > now);
        keys.refused_until.shrink_to_fit();
        keys.in_flight.shrink_to_fit();
    }
}

pub struct SignInThrottle {
    accounts: Failures<String>,
    addresses: Failures<IpAddr>,
}

/// One sign-in attempt, admitted by [`SignInThrottle::begin`]; it stops being in flight
/// when dropped.
pub struct Attempt<'a> {
    throttle: &'a SignInThrottle,
    account: String,
    address: IpAddr,
}

impl Attempt<'_> {
    /// The password was wrong (or the email unknown): counts against both.
    pub fn failed(&self) {
        self.throttle.addresses.failed(&self.address);
        self.throttle.accounts.failed(&self.account);
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.throttle.addresses.end(&self.address);
        self.throttle.accounts.end(&self.account);
    }
}

impl SignInThrottle {
    pub fn new(per_account: Limit, per_address: Limit) -> Self {
        // One check per account at a time; a few per address (a shared office).
        SignInThrottle { accounts: Failures::new(per_account, 1), addresses: Failures::new(per_address, 8) }
    }

    /// Admits an attempt on `email` from `address`, or says how long to wait when either
    /// has failed too often or has too many attempts in flight.
    pub fn begin(&self, email: &str, address: IpAddr) -> Result<Attempt<'_>, Duration> {
        let account = email.trim().to_lowercase();
        let now = Instant::now();
        // Both locks are held together so two attempts cannot both take the last place.
        let mut by_address = self.addresses.keys();
        let mut by_account = self.accounts.keys();
        match (
            self.addresses.refused(&mut by_address, &address, now),
            self.accounts.refused(&mut by_account, &account, now),
        ) {
            (None, None) => {
                Failures::start(&mut by_address, &address);
                Failures::start(&mut by_account, &account);
                Ok(Attempt { throttle: self, account, address })
            }
            (a, b) => Err(a.max(b).expect("one is refused")),
        }
    }

    /// Forgets keys whose failures have all come back (the scheduler calls this), so a
    /// flood of made-up emails does not keep memory.
    pub fn forget_idle(&self) {
        let now = Instant::now();
        self.accounts.forget_idle(now);
        self.addresses.forget_idle(now);
    }

    /// Keys remembered by the limiters (accounts, addresses).
    #[cfg(test)]
    fn len(&self) -> (usize, usize) {
        (self.accounts.limiter.len(), self.addresses.limiter.len())
    }
}

/// Failures per client address alone, with no cap on attempts in flight: for checks
/// that cost nothing, like single sign-on's HMAC, where a portal signing many agents in
/// at once must not wait on itself.
pub struct AddressThrottle {
    addresses: Failures<IpAddr>,
}

impl AddressThrottle {
    pub fn new(limit: Limit) -> Self {
        AddressThrottle { addresses: Failures::new(limit, u32::MAX) }
    }

    /// How long `address` must wait, if its failures have run out.
    pub fn check(&self, address: IpAddr) -> Result<(), Duration> {
        let mut keys = self.addresses.keys();
        self.addresses.refused(&mut keys, &address, Instant::now()).map_or(Ok(()), Err)
    }

    pub fn failed(&self, address: IpAddr) {
        self.addresses.failed(&address);
    }

    pub fn forget_idle(&self) {
        self.addresses.forget_idle(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_count_per_account_and_address_and_successes_do_not() {
        let minute = Duration::from_secs(60);
        let t = SignInThrottle::new(Limit { burst: 3, every: minute }, Limit { burst: 4, every: minute });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        // Successes are never counted.
        for _ in 0..10 {
            drop(t.begin("sam@x", a).unwrap());
        }
        // Three failures, the third running the account out.
        for _ in 0..3 {
            t.begin(" Lea@X", b).unwrap().failed();
        }
        let wait = t.begin("lea@x", a).err().unwrap();
        assert!(wait > Duration::from_secs(50) && wait <= minute, "{wait:?}");
        // `b`'s fourth failure, on any account, runs the address out.
        t.begin("nina@x", b).unwrap().failed();
        assert!(t.begin("tess@x", b).is_err());
        assert!(t.begin("tess@x", a).is_ok());
        assert_eq!(t.len(), (2, 1));
    }

    #[test]
    fn an_address_throttle_counts_failures_only() {
        let t = AddressThrottle::new(Limit { burst: 2, every: Duration::from_secs(60) });
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..20 {
            assert!(t.check(a).is_ok());
        }
        t.failed(a);
        assert!(t.check(a).is_ok());
        t.failed(a);
        assert!(t.check(a).is_err_and(|wait| wait > Duration::from_secs(50)));
        assert!(t.check(b).is_ok());
    }

    #[test]
    fn one_check_per_account_at_a_time() {
        let t = SignInThrottle::new(PER_ACCOUNT, PER_ADDRESS);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let first = t.begin("lea@x", a).unwrap();
        assert_eq!(t.begin("LEA@x", a).err(), Some(Duration::from_secs(1)));
        assert!(t.begin("sam@x", a).is_ok());
        drop(first);
        assert!(t.begin("lea@x", a).is_ok());
    }
}
