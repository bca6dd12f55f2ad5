//! "Record voice note": records from the microphone (MediaRecorder) with the elapsed
//! time shown, stops on "Stop recording" or by itself at the domain's limit, then plays
//! the recording back for the agent to delete (and record again) or send.
//!
//! The recorder is browser media, not HTTP, so it lives here; sending goes through
//! `on_send` like every other command.

use std::time::Duration;

use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::MAX_VOICE_NOTE_MS;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{Blob, BlobEvent, MediaRecorder, MediaStream, MediaStreamTrack};

use crate::format::clock_duration;

/// How often the elapsed time is refreshed (and the limit checked).
const TICK: Duration = Duration::from_millis(250);

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    /// Waiting for the browser to grant the microphone.
    Starting,
    /// `started`: `Date.now()` when recording began.
    Recording {
        started: f64,
    },
    /// Stopped; the recorder is handing over its last data.
    Stopping,
    Recorded {
        url: String,
        duration_ms: u64,
        capped: bool,
    },
}

/// What a recording in progress holds on to; dropped when the next one starts or the
/// component goes.
struct Live {
    recorder: MediaRecorder,
    stream: MediaStream,
    ticker: Option<IntervalHandle>,
    _on_data: Closure<dyn FnMut(BlobEvent)>,
    _on_stop: Closure<dyn FnMut()>,
}

impl Live {
    /// Stops the timer and turns the microphone off (the browser's recording dot goes).
    fn release(&self) {
        if let Some(ticker) = self.ticker {
            ticker.clear();
        }
        stop_tracks(&self.stream);
    }
}

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

async fn open_microphone() -> Result<MediaStream, String> {
    let t = crate::i18n::t();
    let unavailable = |_| t.no_microphone.to_owned();
    let devices = window().navigator().media_devices().map_err(unavailable)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_audio(&wasm_bindgen::JsValue::TRUE);
    let promise = devices.get_user_media_with_constraints(&constraints).map_err(unavailable)?;
    let stream = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| t.microphone_refused.to_owned())?;
    Ok(stream.unchecked_into())
}

#[component]
pub fn VoiceRecorder(
    /// Replying is not possible now (recording stays possible; sending does not).
    #[prop(into)]
    disabled: Signal<bool>,
    /// The conversation's channel plays voice notes; elsewhere the server sends the
    /// recording as an audio file, and the composer says so.
    #[prop(into)]
    voice_notes: Signal<bool>,
    /// Receives the recording and its length in milliseconds.
    on_send: Callback<(Blob, u64)>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let phase = RwSignal::new(Phase::Idle);
    let elapsed = RwSignal::new(0u64);
    let error = RwSignal::new(None::<String>);
    let live = StoredValue::new_local(None::<Live>);
    let recording = StoredValue::new_local(None::<Blob>);
    // (length, stopped by the limit), fixed when recording stops.
    let stopped = StoredValue::new((0u64, false));
    let record_button: NodeRef<Button> = NodeRef::new();
    let stop_button: NodeRef<Button> = NodeRef::new();
    let send_button: NodeRef<Button> = NodeRef::new();
    // Each step replaces the button just pressed: move the focus to the next one.
    let focus = move |target: NodeRef<Button>| {
        request_animation_frame(move || {
            if let Some(button) = target.get_untracked() {
                let _ = button.focus();
            }
        })
    };

    let stop = move |capped: bool| {
        let Some(Phase::Recording { started }) = phase.try_get_untracked() else { return };
        let ms = ((js_sys::Date::now() - started).max(0.0) as u64).min(MAX_VOICE_NOTE_MS);
        stopped.set_value((ms, capped));
        elapsed.set(ms);
        phase.set(Phase::Stopping);
        live.with_value(|l| {
            if let Some(l) = l {
                if let Some(ticker) = l.ticker {
                    ticker.clear();
                }
                let _ = l.recorder.stop();
            }
        });
    };

    // The recorder's `stop` event: its data is complete.
    let finish = move |chunks: js_sys::Array, mime: String| {
        let _ = live.try_with_value(|l| l.as_ref().map(Live::release));
        if phase.try_get_untracked() != Some(Phase::Stopping) {
            return;
        }
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&mime);
        let made = Blob::new_with_blob_sequence_and_options(&chunks, &options)
            .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).map(|url| (blob, url)));
        match made {
            Ok((blob, url)) => {
                recording.set_value(Some(blob));
                let (duration_ms, capped) = stopped.get_value();
                phase.set(Phase::Recorded { url, duration_ms, capped });
                focus(send_button);
            }
            Err(_) => {
                phase.set(Phase::Idle);
                error.set(Some(t.recording_not_saved.into()));
            }
        }
    };

    let begin = move |stream: MediaStream| -> Result<(), String> {
        let failed = |_| t.cannot_record.to_owned();
        let recorder = MediaRecorder::new_with_media_stream(&stream).map_err(failed)?;
        let chunks = js_sys::Array::new();
        let on_data = Closure::<dyn FnMut(BlobEvent)>::new({
            let chunks = chunks.clone();
            move |event: BlobEvent| {
                if let Some(data) = event.data().filter(|d| d.size() > 0.0) {
                    chunks.push(&data);
                }
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        let on_stop = Closure::<dyn FnMut()>::new({
            let recorder = recorder.clone();
            move || finish(chunks.clone(), recorder.mime_type())
        });
        recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
        recorder.start().map_err(failed)?;
        let started = js_sys::Date::now();
        // Elapsed time from the clock, not from counting ticks: a late tick shows the
        // right time, and the limit holds even if ticks are throttled.
        let ticker = set_interval_with_handle(
            move || {
                if let Some(Phase::Recording { started }) = phase.try_get_untracked() {
                    let ms = (js_sys::Date::now() - started).max(0.0) as u64;
                    elapsed.set(ms.min(MAX_VOICE_NOTE_MS));
                    if ms >= MAX_VOICE_NOTE_MS {
                        stop(true);
                    }
                }
            },
            TICK,
        )
        .ok();
        live.set_value(Some(Live { recorder, stream, ticker, _on_data: on_data, _on_stop: on_stop }));
        elapsed.set(0);
        phase.set(Phase::Recording { started });
        focus(stop_button);
        Ok(())
    };

    let start = move |_| {
        error.set(None);
        phase.set(Phase::Starting);
        spawn_local(async move {
            match open_microphone().await {
                // The component went away (or the agent left) while the browser asked.
                Ok(stream) if phase.try_get_untracked() != Some(Phase::Starting) => stop_tracks(&stream),
                Ok(stream) => {
                    if let Err(message) = begin(stream.clone()) {
                        stop_tracks(&stream);
                        phase.set(Phase::Idle);
                        error.set(Some(message));
                    }
                }
                Err(message) => {
                    let _ = phase.try_set(Phase::Idle);
                    let _ = error.try_set(Some(message));
                }
            }
        });
    };

    let discard = move || {
        if let Phase::Recorded { url, .. } = phase.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        recording.set_value(None);
        elapsed.set(0);
        phase.set(Phase::Idle);
        focus(record_button);
    };

    let send = move |_| {
        if let Some(blob) = recording.get_value() {
            on_send.run((blob, stopped.get_value().0));
            discard();
        }
    };

    on_cleanup(move || {
        let _ = live.try_with_value(|l| {
            if let Some(l) = l {
                l.recorder.set_ondataavailable(None);
                l.recorder.set_onstop(None);
                let _ = l.recorder.stop();
                l.release();
            }
        });
        if let Some(Phase::Recorded { url, .. }) = phase.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });

    let limit = clock_duration(MAX_VOICE_NOTE_MS as i64);
    view! {
        <div class="recorder">
            {move || match phase.get() {
                Phase::Idle | Phase::Starting => {
                    view! {
                        <button
                            type="button"
                            class="button"
                            node_ref=record_button
                            disabled=move || phase.get() == Phase::Starting
                            on:click=start
                        >
                            {t.record_voice_note}
                        </button>
                    }
                        .into_any()
                }
                Phase::Recording { .. } | Phase::Stopping => {
                    let limit = limit.clone();
                    view! {
                        <span class="recorder__live">
                            <span class="recorder__dot" aria-hidden="true"></span>
                            {t.recording}
                            " "
                            <span class="recorder__time" role="timer" aria-label=t.recording_time>
                                {move || clock_duration(elapsed.get() as i64)}
                            </span>
                            {format!(" / {limit}")}
                        </span>
                        <button
                            type="button"
                            class="button"
                            node_ref=stop_button
                            disabled=move || phase.get() == Phase::Stopping
                            on:click=move |_| stop(false)
                        >
                            {t.stop_recording}
                        </button>
                    }
                        .into_any()
                }
                Phase::Recorded { url, duration_ms, capped } => {
                    let limit = limit.clone();
                    view! {
                        <audio class="recorder__player" controls src=url aria-label=t.recorded_voice_note></audio>
                        <span class="recorder__length">{clock_duration(duration_ms as i64)}</span>
                        {capped
                            .then(|| {
                                view! {
                                    <p class="recorder__notice" role="status">
                                        {(t.recording_capped)(&limit)}
                                    </p>
                                }
                            })}
                        <button type="button" class="button" on:click=move |_| discard()>
                            {t.delete_recording}
                        </button>
                        <button
                            type="button"
                            class="button button--primary"
                            node_ref=send_button
                            disabled=disabled
                            on:click=send
                        >
                            {t.send_voice_note}
                        </button>
                        {move || {
                            (!voice_notes.get())
                                .then_some(
                                    view! {
                                        <span class="recorder__hint">
                                            {t.no_voice_notes}
                                        </span>
                                    },
                                )
                        }}
                    }
                        .into_any()
                }
            }}
            {move || error.get().map(|e| view! { <p role="alert" class="recorder__error">{e}</p> })}
        </div>
    }
}
