//! The page shell: document head (stylesheet, script, icon from `assets`), header with the
//! search box and logout button, landmarks and a skip link.

use maud::{html, Markup, DOCTYPE};

use super::access::Viewer;
use super::assets;

/// A whole HTML document. `viewer` is `None` on pages shown before access is known (errors,
/// login), which then offer no logout button.
pub fn page(title: &str, viewer: Option<Viewer>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · modreg" }
                link rel="stylesheet" href=(assets::url("app.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                script src=(assets::url("app.js")) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/ui/" { "modreg" }
                    span.tagline { "private Terraform module registry" }
                    @if viewer.is_some_and(Viewer::has_session) {
                        form.logout method="post" action="/ui/logout" {
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main #main { (main) }
                footer.site {
                    "Modules are installed by Terraform with "
                    code { "source = \"<host>/<namespace>/<name>/<system>\"" } "."
                }
            }
        }
    }
}
