use crate::support;
use getty_picker_server::sandbox::{Endpoint, Fault};
use support::{Browser, Sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scratch_faults() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let api = sandbox.api_base();
    for (endpoint, fault, method, path) in [
        (
            Endpoint::Download,
            Fault::Status(403),
            "POST",
            "/v3/downloads/images/123?auto_download=false&product_type=easyaccess",
        ),
        (
            Endpoint::Search,
            Fault::MalformedJson,
            "GET",
            "/v3/search/images?phrase=x&page=1&page_size=30",
        ),
        (
            Endpoint::Search,
            Fault::Status(500),
            "GET",
            "/v3/search/images?phrase=y&page=1&page_size=30",
        ),
        (
            Endpoint::Search,
            Fault::Json(serde_json::json!({"result_count": 1, "images": [{"id": "a"}]})),
            "GET",
            "/v3/search/images?phrase=z&page=1&page_size=30",
        ),
    ] {
        sandbox.inject(endpoint, fault.clone(), 1);
        let r = browser.eval(&format!(r#"
            const token = await (await fetch("{api}/token", {{method: "POST"}})).json().catch(e => ({{error: String(e)}}));
            try {{
              const init = {{method: "{method}", signal: new AbortController().signal, headers: {{"Authorization": "Bearer " + token.access_token, "Api-Key": "sandbox-api-key", "Accept-Language": "en-US"}}}};
              if (init.method === "POST") {{ init.headers["Content-Type"] = "application/json"; init.body = "{{}}"; }}
              const r = await fetch("{api}{path}", init);
              let parsed;
              try {{ parsed = await r.json(); }} catch (e) {{ parsed = ["json failed", e.name, e instanceof SyntaxError, Object.prototype.toString.call(e), String(e)]; }}
              return [r.status, r.ok, parsed];
            }} catch (e) {{ return ["rejected", String(e), Object.keys(token)]; }}
        "#)).await;
        eprintln!("{fault:?}: {r}");
        sandbox.clear_faults();
    }
    browser.close().await;
}
