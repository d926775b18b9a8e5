//! Metadata documents, collections, methods, and pagination.

use super::*;

#[test]
fn every_document_and_collection_of_the_default_fixture_is_served() {
    let mock = Mock::new();
    let t = token(&mock);
    let instance = get(&mock, &t, "instance").json();
    assert_eq!(instance["name"], "my-instance");
    let init = get(&mock, &t, "instance/initialization").json();
    let user_data = init["user_data"].as_str().unwrap();
    assert!(
        user_data.starts_with("Content-Type: multipart/"),
        "{user_data}"
    );
    assert!(user_data.contains("#cloud-config"));
    assert_eq!(init["keys"].as_array().unwrap().len(), 3);
    for (path, key, count) in [
        ("instance/network_interfaces", "network_interfaces", 2),
        ("instance/volume_attachments", "volume_attachments", 2),
        ("instance/network_attachments", "network_attachments", 1),
        (
            "virtual_network_interfaces",
            "virtual_network_interfaces",
            1,
        ),
        ("keys", "keys", 3),
    ] {
        let list = get(&mock, &t, path).json();
        let items = list[key]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: {list}"));
        assert_eq!(items.len(), count, "{path}");
        for item in items {
            let id = item["id"].as_str().unwrap();
            let one = get(&mock, &t, &format!("{path}/{id}"));
            assert_eq!(one.status, 200, "{path}/{id}");
            assert_eq!(&one.json(), item);
        }
    }
    let types: Vec<Value> = get(&mock, &t, "keys").json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["type"].clone())
        .collect();
    assert!(types.contains(&json!("rsa")) && types.contains(&json!("ed25519")));
}

#[test]
fn unknown_ids_and_the_singular_volume_attachment_are_404() {
    let mock = Mock::new();
    let t = token(&mock);
    let a = get(&mock, &t, "placement_groups/r018-nope");
    assert_ibm_error(&a, 404, "not_found");
    assert_eq!(
        a.json()["errors"][0]["message"],
        "Placement group not found."
    );
    assert_ibm_error(&get(&mock, &t, "keys/nope"), 404, "not_found");
    let va = get(&mock, &t, "instance/volume_attachments").json()["volume_attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        get(&mock, &t, &format!("instance/volume_attachments/{va}")).status,
        200
    );
    assert_ibm_error(
        &get(&mock, &t, &format!("instance/volume_attachment/{va}")),
        404,
        "not_found",
    );
    assert_ibm_error(&get(&mock, &t, "no_such_thing"), 404, "not_found");
}

#[test]
fn wrong_method_is_405_with_allow() {
    let mock = Mock::new();
    let a = send(
        &mock,
        "POST",
        &format!("/metadata/v1/instance?{NEW}"),
        None,
        &[],
    );
    assert_ibm_error(&a, 405, "method_not_allowed");
    assert_eq!(a.header("allow"), Some("GET"));
    let a = send(
        &mock,
        "GET",
        &format!("/identity/v1/token?{NEW}"),
        None,
        &[],
    );
    assert_eq!((a.status, a.header("allow")), (405, Some("PUT")));
    let a = send(
        &mock,
        "GET",
        &format!("/identity/v1/iam_tokens?{NEW}"),
        None,
        &[],
    );
    assert_eq!((a.status, a.header("allow")), (405, Some("POST")));
}

#[test]
fn head_is_answered_with_headers_only() {
    let mock = Mock::new();
    for path in [
        format!("/metadata/v1/instance?{NEW}"),
        format!("/identity/v1/token?{NEW}"),
        "/_mock/counts".to_string(),
    ] {
        let (got, closed) = raw(
            &mock,
            &format!("HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Duration::from_secs(5),
        );
        assert!(closed);
        let (head, body) = split_answer(&got);
        assert!(head.starts_with("HTTP/1.1 405 "), "{path}: {head}");
        assert!(content_length(&head) > 0, "{head}");
        assert!(
            body.is_empty(),
            "{path}: HEAD answered with a body: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // On a kept-alive connection the next answer starts right after the head.
    let mut conn = connect(&mock, Duration::from_secs(5));
    let request = format!("HEAD /metadata/v1/instance?{NEW} HTTP/1.1\r\nHost: x\r\n\r\n");
    conn.send(format!("{request}{}", token_request()));
    conn.read_head().expect("the HEAD answer");
    let rest = conn.read_head().expect("a second answer");
    assert!(rest.starts_with("HTTP/1.1 200 "), "{rest}");
}

#[test]
fn unknown_query_parameter_is_unknown_field() {
    let mock = Mock::new();
    let t = token(&mock);
    let a = get(&mock, &t, "placement_groups?limt=5");
    assert_ibm_error(&a, 400, "unknown_field");
    assert_eq!(a.json()["errors"][0]["target"]["name"], "limt");
    // limit belongs to paginated lists only.
    assert_ibm_error(&get(&mock, &t, "instance?limit=5"), 400, "unknown_field");
}

// --- pagination -----------------------------------------------------------------------------

/// Walks a paginated collection from its first page, following `next` hrefs as given;
/// returns the ids in order and the number of pages.
fn walk(mock: &Mock, t: &str, collection: &str, limit: Option<usize>) -> (Vec<String>, usize) {
    let auth = format!("Bearer {t}");
    let mut url = match limit {
        Some(l) => format!("{}/metadata/v1/{collection}?limit={l}&{NEW}", mock.url),
        None => format!("{}/metadata/v1/{collection}?{NEW}", mock.url),
    };
    let agent = agent(None);
    let (mut ids, mut pages) = (Vec::new(), 0);
    loop {
        let a = send_with(&agent, "GET", &url, None, &[("Authorization", &auth)]);
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        let page = a.json();
        pages += 1;
        let expected_limit = limit.unwrap_or(50);
        assert_eq!(page["limit"], expected_limit);
        assert_eq!(
            page["first"]["href"],
            format!(
                "{}/metadata/v1/{collection}?limit={expected_limit}",
                mock.url
            )
        );
        ids.extend(
            page[collection]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        let total = page["total_count"].as_u64().unwrap() as usize;
        match page.get("next") {
            Some(next) => {
                let href = next["href"].as_str().unwrap();
                assert!(
                    href.starts_with(&format!("{}/metadata/v1/{collection}?", mock.url)),
                    "{href}"
                );
                assert!(href.contains("start="), "{href}");
                url = format!("{href}&{NEW}");
            }
            None => {
                assert_eq!(ids.len(), total);
                return (ids, pages);
            }
        }
        assert!(pages < 1000, "pagination does not end");
    }
}

#[test]
fn placement_groups_walk_to_the_end_with_every_item_once() {
    let mock = Mock::paging();
    let t = token(&mock);
    for (limit, pages) in [
        (None, 3),
        (Some(50), 3),
        (Some(100), 2),
        (Some(7), 18),
        (Some(1), 120),
    ] {
        let (ids, got_pages) = walk(&mock, &t, "placement_groups", limit);
        assert_eq!(got_pages, pages, "limit {limit:?}");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((ids.len(), unique.len()), (120, 120), "limit {limit:?}");
    }
    // The same walk over the virtual network interfaces, the other long list of the preset.
    let (ids, pages) = walk(&mock, &t, "virtual_network_interfaces", Some(100));
    assert_eq!((ids.len(), pages), (120, 2));
    // The default instance is in one group: one page.
    let default = Mock::new();
    let t = token(&default);
    assert_eq!(walk(&default, &t, "placement_groups", None).1, 1);
}

#[test]
fn keys_are_one_page_with_page_fields() {
    let mock = Mock::new();
    let t = token(&mock);
    let (ids, pages) = walk(&mock, &t, "keys", None);
    assert_eq!((ids.len(), pages), (3, 1));
    let (ids, pages) = walk(&mock, &t, "keys", Some(2));
    assert_eq!((ids.len(), pages), (3, 2));
}

#[test]
fn next_href_follows_the_host_the_request_came_to() {
    let mock = Mock::paging();
    let t = token(&mock);
    let auth = format!("Bearer {t}");
    let port = mock.url.rsplit(':').next().unwrap();
    let url = format!("http://localhost:{port}/metadata/v1/placement_groups?{NEW}");
    let a = send_with(&agent(None), "GET", &url, None, &[("Authorization", &auth)]);
    let next = a.json()["next"]["href"].as_str().unwrap().to_string();
    assert!(
        next.starts_with(&format!(
            "http://localhost:{port}/metadata/v1/placement_groups?"
        )),
        "{next}"
    );
}

#[test]
fn bad_limit_or_start_is_invalid_value() {
    let mock = Mock::new();
    let t = token(&mock);
    for query in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "start=garbage",
        "start=first",
    ] {
        let a = get(&mock, &t, &format!("placement_groups?{query}"));
        assert_ibm_error(&a, 400, "invalid_value");
    }
}
