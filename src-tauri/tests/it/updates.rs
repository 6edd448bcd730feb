//! The updater, exercised for real: tauri-plugin-updater with the app's own updater settings
//! (`tauri.conf.json`, only the public key and the endpoint replaced by a throwaway pair) against an
//! update server on loopback that serves a `latest.json` and a package signed with minisign, the
//! signature scheme `tauri build` uses. The flow under test is the app's `look_and_install`.

use ai_observer_desktop::error::DesktopError;
use ai_observer_desktop::updates::{UpdateOutcome, look_and_install};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};
use tauri_plugin_updater::{Update, Updater, UpdaterExt};

/// What the installed app is before an update: an AppImage (on Linux the updater replaces it).
const INSTALLED: &[u8] = b"\x7fELF AI Observer 0.1.0 as installed";

/// The new version's package. An AppImage is an ELF executable; the updater checks the magic bytes.
fn new_package() -> Vec<u8> {
    let mut package = b"\x7fELF AI Observer 9.9.9".to_vec();
    package.resize(64 * 1024, 0x5a);
    package
}

struct SigningKey(minisign::KeyPair);

impl SigningKey {
    fn new() -> SigningKey {
        SigningKey(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    /// The public key as `tauri.conf.json` holds it: the minisign key file, base64.
    fn public(&self) -> String {
        BASE64.encode(self.0.pk.to_box().unwrap().to_string())
    }

    /// A signature as `tauri build` writes it next to a package: the minisign signature file,
    /// base64, its trusted comment naming the file and the version it was signed for.
    fn sign(&self, package: &[u8], version: &str) -> String {
        let trusted = format!("timestamp:1796000000\tfile:ai-observer_{version}_amd64.AppImage\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            std::io::Cursor::new(package),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        BASE64.encode(signature.to_string())
    }
}

/// The update server: `GET /latest.json` and `GET /download/<name>`, counting downloads.
struct UpdateServer {
    url: String,
    downloads: Arc<AtomicUsize>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

#[derive(Clone)]
struct Served {
    manifest: Value,
    package: Arc<Vec<u8>>,
    downloads: Arc<AtomicUsize>,
}

async fn serve_manifest(State(served): State<Served>) -> axum::Json<Value> {
    axum::Json(served.manifest)
}

async fn serve_package(State(served): State<Served>) -> Vec<u8> {
    served.downloads.fetch_add(1, Ordering::SeqCst);
    served.package.as_ref().clone()
}

impl UpdateServer {
    /// Serves `package` as version `announced`, with `signature`.
    async fn start(announced: &str, package: Vec<u8>, signature: String) -> UpdateServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let downloads = Arc::new(AtomicUsize::new(0));
        let manifest = json!({
            "version": announced,
            "notes": "A test release",
            "pub_date": "2026-11-30T12:00:00Z",
            "platforms": {
                "linux-x86_64": {"url": format!("{url}/download/ai-observer_{announced}_amd64.AppImage"), "signature": signature}
            }
        });
        let served = Served { manifest, package: Arc::new(package), downloads: downloads.clone() };
        let router =
            Router::new().route("/latest.json", get(serve_manifest)).route("/download/{name}", get(serve_package)).with_state(served);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        UpdateServer { url, downloads, _stop: stop }
    }

    fn downloads(&self) -> usize {
        self.downloads.load(Ordering::SeqCst)
    }
}

/// The app's updater settings from `tauri.conf.json`, with this test's key and server.
fn updater_settings(public_key: &str, server: &UpdateServer) -> Value {
    let conf: Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json")).unwrap()).unwrap();
    let mut settings = conf["plugins"]["updater"].clone();
    assert_eq!(settings["requireSignedVersion"], json!(true), "the app only accepts packages signed for the version announced");
    settings["pubkey"] = json!(public_key);
    settings["endpoints"] = json!([format!("{}/latest.json", server.url)]);
    // The real endpoint is https (GitHub); the loopback server here speaks plain HTTP.
    settings["dangerousInsecureTransportProtocol"] = json!(true);
    settings
}

/// An app on the mock runtime (version 0.1.0) with the updater plugin, installed at `installed`.
struct App {
    app: tauri::App<MockRuntime>,
    installed: PathBuf,
    _folder: tempfile::TempDir,
}

impl App {
    fn new(settings: Value) -> App {
        let mut context = mock_context(noop_assets());
        context.config_mut().plugins.0.insert("updater".into(), settings);
        let app = mock_builder().plugin(tauri_plugin_updater::Builder::new().build()).build(context).unwrap();
        let folder = tempfile::tempdir().unwrap();
        let installed = folder.path().join("ai-observer.AppImage");
        std::fs::write(&installed, INSTALLED).unwrap();
        App { app, installed, _folder: folder }
    }

    fn updater(&self) -> Updater {
        self.app.handle().updater_builder().executable_path(&self.installed).no_proxy().build().unwrap()
    }

    fn installed(&self) -> Vec<u8> {
        std::fs::read(&self.installed).unwrap()
    }
}

async fn consent_given(_: &Update) -> bool {
    true
}

/// An update server announcing `package` as `announced` with `signature`, and an app at 0.1.0
/// that trusts `trusted`.
async fn offered(trusted: &SigningKey, announced: &str, package: Vec<u8>, signature: String) -> (UpdateServer, App) {
    let server = UpdateServer::start(announced, package, signature).await;
    let app = App::new(updater_settings(&trusted.public(), &server));
    (server, app)
}

/// The user agrees, the package is refused, and the installed app is as it was.
async fn refused_after_consent(app: &App) -> DesktopError {
    let error = look_and_install(&app.updater(), consent_given).await.unwrap_err();
    assert!(matches!(error, DesktopError::UpdateRefused(_)), "{error:?}");
    assert_eq!(app.installed(), INSTALLED);
    error
}

#[tokio::test]
async fn an_update_is_installed_only_after_consent_and_only_when_its_signature_holds() {
    let key = SigningKey::new();
    let package = new_package();
    let (server, app) = offered(&key, "9.9.9", package.clone(), key.sign(&package, "9.9.9")).await;

    // Found, offered, declined: nothing is downloaded and nothing changes.
    let mut offered = None;
    let outcome = look_and_install(&app.updater(), async |update: &Update| {
        offered = Some((update.current_version.clone(), update.version.clone()));
        false
    })
    .await
    .unwrap();
    assert_eq!(outcome, UpdateOutcome::Declined { version: "9.9.9".into() });
    assert_eq!(offered, Some(("0.1.0".to_string(), "9.9.9".to_string())));
    assert_eq!(server.downloads(), 0, "nothing is downloaded before the user agrees");
    assert_eq!(app.installed(), INSTALLED);

    // Agreed: downloaded once, verified, and the installed app is replaced by the package.
    let outcome = look_and_install(&app.updater(), consent_given).await.unwrap();
    assert_eq!(outcome, UpdateOutcome::Installed { version: "9.9.9".into() });
    assert_eq!(server.downloads(), 1);
    assert_eq!(app.installed(), package);
}

#[tokio::test]
async fn a_tampered_package_is_refused_and_the_installed_app_is_kept() {
    let key = SigningKey::new();
    let package = new_package();
    let signature = key.sign(&package, "9.9.9");
    let mut tampered = package.clone();
    tampered[40_000] ^= 0x01;
    let (server, app) = offered(&key, "9.9.9", tampered, signature).await;

    refused_after_consent(&app).await;
    assert_eq!(server.downloads(), 1);
}

#[tokio::test]
async fn a_package_signed_with_another_key_is_refused() {
    let ours = SigningKey::new();
    let theirs = SigningKey::new();
    let package = new_package();
    let (_server, app) = offered(&ours, "9.9.9", package.clone(), theirs.sign(&package, "9.9.9")).await;

    let error = refused_after_consent(&app).await;
    assert!(error.to_string().starts_with("the update's signature does not match"), "{error}");
}

#[tokio::test]
async fn an_old_signed_release_announced_as_a_new_version_is_refused() {
    // A genuine package of an older release with its genuine signature, paired in a tampered
    // manifest with a higher version number: a downgrade the signed version catches.
    let key = SigningKey::new();
    let old_release = new_package();
    let (_server, app) = offered(&key, "9.9.9", old_release.clone(), key.sign(&old_release, "0.0.9")).await;

    refused_after_consent(&app).await;
}

#[tokio::test]
async fn the_same_version_is_no_update_and_nothing_is_offered() {
    let key = SigningKey::new();
    let package = new_package();
    let (server, app) = offered(&key, "0.1.0", package.clone(), key.sign(&package, "0.1.0")).await;

    let mut asked = false;
    let outcome = look_and_install(&app.updater(), async |_: &Update| {
        asked = true;
        true
    })
    .await
    .unwrap();
    assert_eq!(outcome, UpdateOutcome::UpToDate);
    assert!(!asked);
    assert_eq!(server.downloads(), 0);
    assert_eq!(app.installed(), INSTALLED);
}
