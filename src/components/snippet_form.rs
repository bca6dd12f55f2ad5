//! The form that creates or edits a saved reply (owners and managers). The server
//! checks lengths; its refusal is shown here, next to what the user typed.

use leptos::html::Input;
use leptos::prelude::*;
use parley_domain::wire::SnippetInput;

#[component]
pub fn SnippetForm(
    /// "New saved reply" or "Edit saved reply": the form's accessible name.
    heading: &'static str,
    initial: SnippetInput,
    on_save: Callback<SnippetInput>,
    on_cancel: Callback<()>,
    /// Why the last save was refused.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(into)] saving: Signal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let category = RwSignal::new(initial.category);
    let title = RwSignal::new(initial.title);
    let text = RwSignal::new(initial.text);
    let first: NodeRef<Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = first.get() {
            let _ = el.focus();
        }
    });
    view! {
        <form
            class="snippet-form"
            aria-label=heading
            on:submit=move |ev| {
                ev.prevent_default();
                on_save.run(SnippetInput { category: category.get_untracked(), title: title.get_untracked(), text: text.get_untracked() });
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_cancel.run(());
                }
            }
        >
            <h2>{heading}</h2>
            <label>
                {t.category}
                <input type="text" node_ref=first bind:value=category />
            </label>
            <label>
                {t.title}
                <input type="text" bind:value=title />
            </label>
            <label>
                {t.text}
                <textarea rows="4" bind:value=text></textarea>
            </label>
            <p class="hint">{t.variables_hint}</p>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            <div class="snippet-form__buttons">
                <button type="submit" class="button button--primary" disabled=saving>{t.save}</button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>{t.cancel}</button>
            </div>
        </form>
    }
}
