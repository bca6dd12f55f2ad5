//! A form's save as a view wires it, so that a form neither knows the store nor hands
//! it a callback to answer through.

use leptos::prelude::*;

/// `run` starts the save; `pending` holds while it runs; `result` is how the last run
/// ended, numbered so that the same answer twice still counts (`Err` holds the words
/// to show next to the form).
pub struct Submit<T: 'static> {
    pub run: Callback<T>,
    pub pending: Signal<bool>,
    pub result: Signal<(usize, Option<Result<(), String>>)>,
}

impl<T> Clone for Submit<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Submit<T> {}

impl<T> Submit<T> {
    /// Calls `then` with each outcome that arrives after this call (not one from before
    /// the form opened).
    pub fn on_result(self, then: impl Fn(Result<(), String>) + 'static) {
        let result = self.result;
        Effect::new(move |seen: Option<usize>| {
            let (count, outcome) = result.get();
            if seen.is_some_and(|seen| count > seen)
                && let Some(outcome) = outcome
            {
                then(outcome);
            }
            count
        });
    }
}
