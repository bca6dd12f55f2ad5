//! Several servers on one PostgreSQL database (issue 13): the storage invariants hold
//! across instances. (Live delivery from one instance's commits to another's sockets comes
//! with LISTEN/NOTIFY; SQLite is one process's database, so these run on PostgreSQL only.)

mod common;

use common::{on_postgres, read_store, sql_i64, start};
use futures_util::future::join_all;

#[tokio::test]
async fn writes_through_two_instances_keep_one_seq_order_and_one_open_conversation() {
    if !on_postgres() {
        return;
    }
    let a = start().await;
    let b = a.beside().await;
    let before = read_store(a.dir.path().to_owned(), |s| s.current_seq()).await;
    // `k-fresh` has no conversation: every write races to open its one.
    let writes = (0..60).map(|i| {
        let (server, contact) = match i % 3 {
            0 => (&a, "k-fresh"),
            1 => (&b, "k-fresh"),
            _ => (if i % 2 == 0 { &a } else { &b }, "k-fresh2"),
        };
        async move { server.inbound(contact, &format!("message {i}")).await }
    });
    join_all(writes).await;

    for contact in ["k-fresh", "k-fresh2"] {
        let open = format!("SELECT COUNT(*) FROM conversations WHERE contact_id = '{contact}' AND status <> 'closed'");
        assert_eq!(sql_i64(a.dir.path(), &open), 1, "{contact}: one open conversation");
    }
    let messages = "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id \
                    WHERE c.contact_id IN ('k-fresh', 'k-fresh2') AND m.direction = 'incoming'";
    assert_eq!(sql_i64(a.dir.path(), messages), 60, "every message, once");
    // The log: seqs after `before` with no gap and no repeat, ending at the current seq.
    let (events, now) = read_store(a.dir.path().to_owned(), move |s| {
        Ok((s.events_after(before, 100_000)?.expect("not pruned"), s.current_seq()?))
    })
    .await;
    let seqs: Vec<u64> = events.iter().map(|(e, _)| e.seq).collect();
    assert_eq!(seqs, ((before + 1)..=now).collect::<Vec<_>>());
    drop(b);
}

#[tokio::test]
async fn a_retried_send_through_another_instance_is_still_sent_once() {
    if !on_postgres() {
        return;
    }
    let a = start().await;
    let b = a.beside().await;
    let (ta, tb) = (a.sign_in("aaron").await, b.sign_in("aaron").await);
    // The same reply posted through both at once, as a retry landing on another instance
    // before the first attempt committed: the id check and the insert must not interleave.
    let sends = (0..20).flat_map(|i| {
        let body = serde_json::json!({"client_id": format!("retry-{i}"), "text": format!("reply {i}")});
        [(&a, &ta, body.clone()), (&b, &tb, body)]
    });
    let answers = join_all(sends.map(|(s, t, body)| s.post(t, "/conversations/c-aaron/messages", body))).await;
    for (status, body) in &answers {
        assert!([200, 201].contains(status), "{status} {body}");
    }
    let sent = "SELECT COUNT(*) FROM messages WHERE client_id LIKE 'retry-%'";
    assert_eq!(sql_i64(a.dir.path(), sent), 20);
    drop(b);
}
