//! Conformance checks of build lists: of several projects' builds interleaved, newest
//! first, by visibility, page by page, each build whole (its layers too).

use super::{Check, acting, new_build, owner, project, starting};
use crate::model::{
    Action, AuditAction, Build, BuildFilter, BuildId, BuildLayer, NewBuild, Project, ProjectId,
    Right, Visibility,
};
use crate::store::Store;

/// Every build list check, by name.
pub const CHECKS: &[(&str, Check)] = &[(
    "builds_of_several_projects_are_listed_newest_first_page_by_page",
    builds_of_several_projects_are_listed_newest_first_page_by_page,
)];

/// What a build list should hold, worked out from every build: `(id, project, hidden)`.
fn expected(
    all: &[(BuildId, ProjectId, bool)],
    projects: Option<&[ProjectId]>,
    visibility: Visibility,
    limit: u32,
    offset: u32,
) -> Vec<BuildId> {
    let mut ids: Vec<BuildId> = all
        .iter()
        .filter(|(_, p, hidden)| {
            projects.is_none_or(|ps| ps.contains(p))
                && match visibility {
                    Visibility::Visible => !hidden,
                    Visibility::Hidden => *hidden,
                    Visibility::All => true,
                }
        })
        .map(|(id, _, _)| *id)
        .collect();
    ids.sort_by_key(|b| std::cmp::Reverse(b.0));
    ids.into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect()
}

fn builds_of_several_projects_are_listed_newest_first_page_by_page(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let a = project(store, &alice, "a");
    let b = project(store, &alice, "b");
    let empty = project(store, &alice, "empty");
    let theirs = project(store, &bob, "theirs");
    // Builds of a and b interleaved unevenly (a has most of them), with bob's between.
    let order: Vec<(&Project, &crate::model::Owner)> = (0..23)
        .map(|n| match n % 5 {
            0 | 2 | 3 => (&a, &alice),
            1 => (&b, &alice),
            _ => (&theirs, &bob),
        })
        .collect();
    let mut all = Vec::new();
    let mut written = std::collections::HashMap::new();
    for (n, (p, who)) in order.into_iter().enumerate() {
        // Some with no layers, some with one or two of their own.
        let layers: Vec<BuildLayer> = (0..n % 3)
            .map(|l| BuildLayer {
                name: format!("meta-{n}-{l}"),
                source: format!("https://git.example/meta-{n}"),
                reference: (l == 0).then(|| "scarthgap".to_owned()),
                commit: Some(format!("{n:040x}")),
            })
            .collect();
        let new = NewBuild {
            layers: layers.clone(),
            ..new_build(p, who)
        };
        let build = store
            .start_build(&new, &starting(who, p.name.as_str()))
            .expect("start a build");
        let hidden = n % 4 == 1;
        if hidden {
            let audit = acting(
                who,
                Action::Project(Right::Build),
                AuditAction::BuildHide,
                Some(p.name.as_str()),
            );
            store
                .set_build_hidden(build.id, true, &audit)
                .expect("hide a build");
        }
        written.insert(build.id, layers);
        all.push((build.id, p.id, hidden));
    }

    let filters: [Option<Vec<ProjectId>>; 6] = [
        None,
        Some(vec![a.id, b.id]),
        Some(vec![b.id, empty.id, a.id]),
        Some(vec![b.id]),
        Some(vec![empty.id]),
        Some(Vec::new()),
    ];
    for projects in &filters {
        for visibility in [Visibility::Visible, Visibility::Hidden, Visibility::All] {
            for (limit, offset) in [(500, 0), (4, 0), (4, 4), (4, 8), (3, 17), (5, 40)] {
                let filter = BuildFilter {
                    projects: projects.clone(),
                    visibility,
                    limit,
                    offset,
                };
                let listed: Vec<Build> = store.builds(&filter).expect("list builds");
                let ids: Vec<BuildId> = listed.iter().map(|b| b.id).collect();
                assert_eq!(
                    ids,
                    expected(&all, projects.as_deref(), visibility, limit, offset),
                    "{filter:?}"
                );
                for build in &listed {
                    assert_eq!(
                        build,
                        &store.build(build.id).expect("a build"),
                        "{filter:?}"
                    );
                    assert_eq!(build.layers, written[&build.id], "{filter:?}");
                }
            }
        }
    }
    // The pages of a and b together hold every visible build of theirs once, in order.
    let pages: Vec<BuildId> = (0..6)
        .flat_map(|page| {
            store
                .builds(&BuildFilter {
                    projects: Some(vec![a.id, b.id]),
                    visibility: Visibility::Visible,
                    limit: 4,
                    offset: page * 4,
                })
                .expect("a page")
                .into_iter()
                .map(|b| b.id)
        })
        .collect();
    assert_eq!(
        pages,
        expected(&all, Some(&[a.id, b.id]), Visibility::Visible, u32::MAX, 0)
    );
    assert!(pages.len() > 8, "the pages run past two: {}", pages.len());
}
