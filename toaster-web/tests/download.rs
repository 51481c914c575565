//! Downloads: whole, resumed with Range, refused once the file changed since the build.

use crate::support::{IMAGE, world};

#[test]
fn artifacts_stream_whole_and_in_ranges() {
    let w = world();
    let path = format!(
        "/api/v1/builds/{}/artifacts/core.wic/download",
        w.failed.id.0
    );
    let auth = format!("Bearer {}", w.alice_token);
    let whole = w.get(&path, &[("Authorization", &auth)]);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, IMAGE);
    assert_eq!(whole.header("accept-ranges").unwrap(), "bytes");
    assert_eq!(
        whole.header("content-disposition").unwrap(),
        "attachment; filename=\"core.wic\""
    );
    assert_eq!(
        whole.header("content-type").unwrap(),
        "application/octet-stream"
    );

    for (range, bytes, content_range) in [
        ("bytes=2-5", &IMAGE[2..=5], "bytes 2-5/20"),
        ("bytes=15-", &IMAGE[15..], "bytes 15-19/20"),
        ("bytes=-3", &IMAGE[17..], "bytes 17-19/20"),
        ("bytes=0-1000", IMAGE, "bytes 0-19/20"),
    ] {
        let part = w.get(&path, &[("Authorization", auth.as_str()), ("Range", range)]);
        assert_eq!(part.status, 206, "{range}");
        assert_eq!(part.body, bytes, "{range}");
        assert_eq!(part.header("content-range").unwrap(), content_range);
    }
    for range in ["bytes=20-", "bytes=5-2", "bytes=0-1,3-4", "lines=1-2"] {
        let refused = w.get(&path, &[("Authorization", auth.as_str()), ("Range", range)]);
        assert_eq!(refused.status, 416, "{range}");
    }
}

#[test]
fn a_file_changed_since_the_build_is_refused_with_409() {
    let w = world();
    let path = format!(
        "/api/v1/builds/{}/artifacts/core.wic/download",
        w.failed.id.0
    );
    // Same size, other bytes: only the checksum tells.
    let mut changed = IMAGE.to_vec();
    changed[0] = b'X';
    std::fs::write(w.deploy.join("core.wic"), &changed).unwrap();
    for range in [None, Some("bytes=5-9")] {
        let auth = format!("Bearer {}", w.alice_token);
        let mut headers = vec![("Authorization", auth.as_str())];
        if let Some(range) = range {
            headers.push(("Range", range));
        }
        let refused = w.get(&path, &headers);
        assert_eq!(refused.status, 409, "{range:?}: {}", refused.text());
        assert_eq!(refused.json()["error"], "changed");
        assert!(
            refused.json()["message"]
                .as_str()
                .unwrap()
                .contains("SHA-256")
        );
    }
    // Grown: the size tells.
    std::fs::write(w.deploy.join("core.wic"), [IMAGE, b"more"].concat()).unwrap();
    assert_eq!(w.get_as(&w.alice_token, &path).status, 409);
    // Gone.
    std::fs::remove_file(w.deploy.join("core.wic")).unwrap();
    let gone = w.get_as(&w.alice_token, &path);
    assert!([404, 409].contains(&gone.status), "{}", gone.text());
    // The other artifact is untouched and still downloads.
    let dtb = format!(
        "/api/v1/builds/{}/artifacts/sub%2Fcore.dtb/download",
        w.failed.id.0
    );
    assert_eq!(w.get_as(&w.alice_token, &dtb).body, b"dtb");
}
