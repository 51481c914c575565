//! A synthetic build, deterministic and as large as asked: the events of a large image
//! build (10,000 tasks with Toaster's 12,749 task dependencies, 700 recipes, 7,000 packages
//! with 3 dependencies each and 21,000 files, an image of 1,000 of them and 5,000 files,
//! 500 log messages, 20 layers by default), for tests and
//! benchmarks.
#![allow(clippy::unwrap_used)]

use crate::ingest::{ArtifactEvent, Event};
use std::collections::BTreeMap;

use crate::model::{
    ArtifactKind, BuildLayer, BuildState, DependencyKind, FileType, ImageDependency,
    ImageDependencyKind, ImageFile, ImageFiles, ImagePackages, InstalledPackage, LogLevel,
    LogRecord, PackageFile, PackageFiles, PackageRecord, Provider, RecipeDependencies,
    RecipeDependency, RecipeRecord, RelationKind, ScriptType, SstateResult, TaskDependencies,
    TaskName, TaskOutcome, Timestamp, VariableChange, VariableHistory, VariableRecord,
};

/// The deploy directory the synthetic build reports its images in.
const DEPLOY: &str = "/srv/build/tmp/deploy/images/qemux86-64";

/// The size of a synthetic build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// Tasks, each started and finished.
    pub tasks: usize,
    /// Recipes.
    pub recipes: usize,
    /// Packages.
    pub packages: usize,
    /// Run-time dependencies per package.
    pub depends: usize,
    /// Log messages.
    pub logs: usize,
    /// Layers.
    pub layers: usize,
    /// Task dependencies, over all tasks (each task waits for at most half of those
    /// before it plus one).
    pub task_dependencies: usize,
    /// Recipe dependencies, over all recipes (each needs only recipes before it; about one
    /// in three at run time).
    pub recipe_dependencies: usize,
    /// How many of the first recipes provide a virtual name (`virtual/recipeK`) that the next
    /// recipe asks for: the dependencies through virtual providers.
    pub virtual_providers: usize,
    /// Variables read at the build's start.
    pub variables: usize,
    /// History entries of each variable.
    pub variable_history: usize,
    /// Package files, over all packages.
    pub package_files: usize,
    /// Packages installed in the image (the first ones made), each pulling in two others.
    pub image_packages: usize,
    /// Entries of the image's file listing.
    pub image_files: usize,
}

impl Workload {
    /// The large-image build the benchmarks measure.
    pub const LARGE_IMAGE: Workload = Workload {
        tasks: 10_000,
        recipes: 700,
        packages: 7_000,
        depends: 3,
        logs: 500,
        layers: 20,
        task_dependencies: 12_749,
        recipe_dependencies: 3_449,
        virtual_providers: 10,
        variables: 20,
        variable_history: 3,
        package_files: 21_000,
        image_packages: 1_000,
        image_files: 5_000,
    };

    /// A small build for quick tests.
    pub const SMALL: Workload = Workload {
        tasks: 120,
        recipes: 12,
        packages: 60,
        depends: 3,
        logs: 15,
        layers: 3,
        task_dependencies: 150,
        recipe_dependencies: 30,
        virtual_providers: 2,
        variables: 4,
        variable_history: 3,
        package_files: 150,
        image_packages: 30,
        image_files: 100,
    };

    /// The layers the build runs with.
    pub fn layers(&self) -> Vec<BuildLayer> {
        (0..self.layers)
            .map(|i| BuildLayer {
                name: format!("meta-layer{i}"),
                source: format!("https://git.example.com/meta-layer{i}"),
                reference: Some("scarthgap".to_owned()),
                commit: Some(format!("{i:040x}")),
            })
            .collect()
    }

    /// The recipe of task `i`.
    fn recipe_of(&self, i: usize) -> usize {
        i % self.recipes
    }

    /// Recipe `r`.
    pub fn recipe(&self, r: usize) -> RecipeRecord {
        RecipeRecord {
            name: format!("recipe{r}"),
            version: format!("1.{}-r0", r % 7),
            layer: format!("meta-layer{}", r % self.layers.max(1)),
            file: format!(
                "/srv/layers/meta-layer{}/recipes-x/recipe{r}/recipe{r}_1.{}.bb",
                r % self.layers.max(1),
                r % 7
            ),
            licence: Some(if r % 5 == 0 { "GPL-2.0-only" } else { "MIT" }.to_owned()),
            summary: Some(format!("Recipe number {r}")),
            section: Some("base".to_owned()),
            homepage: Some(format!("https://example.com/recipe{r}")),
        }
    }

    /// How many recipes each recipe needs: as even as the total allows, recipe `r` needing
    /// at most the `r` before it, the rest on the last recipes.
    pub fn recipe_dependency_counts(&self) -> Vec<usize> {
        let n = self.recipes;
        let each = self.recipe_dependencies / n.saturating_sub(1).max(1);
        let mut counts: Vec<usize> = (0..n).map(|r| r.min(each)).collect();
        let mut left = self.recipe_dependencies.saturating_sub(counts.iter().sum());
        while left > 0 && counts.iter().enumerate().any(|(r, &c)| c < r) {
            for r in (1..n).rev() {
                if left > 0 && counts[r] < r {
                    counts[r] += 1;
                    left -= 1;
                }
            }
        }
        counts
    }

    /// The events of recipe `r`'s dependencies (`count` of them: the recipes just before
    /// it, every third at run time; the first of recipes 1 to `virtual_providers` through
    /// the virtual name its dependency provides).
    pub fn recipe_dependency_events(&self, r: usize, count: usize) -> Vec<Event> {
        let mut build = Vec::new();
        let mut runtime = Vec::new();
        for m in 0..count {
            let j = r - 1 - m;
            let via = (m == 0 && r <= self.virtual_providers).then(|| format!("virtual/recipe{j}"));
            let dependency = RecipeDependency {
                recipe: format!("recipe{j}"),
                via,
            };
            if m % 3 == 2 {
                runtime.push(dependency);
            } else {
                build.push(dependency);
            }
        }
        [
            (DependencyKind::Build, build),
            (DependencyKind::Runtime, runtime),
        ]
        .into_iter()
        .filter(|(_, depends)| !depends.is_empty())
        .map(|(kind, depends)| {
            Event::RecipeDependencies(RecipeDependencies {
                recipe: format!("recipe{r}"),
                kind,
                depends,
            })
        })
        .collect()
    }

    /// The events of variable `v`: its value, then its history (set in `conf/local.conf`,
    /// appended to in a layer, each entry on a line of its own).
    pub fn variable_events(&self, v: usize) -> [Event; 2] {
        let name = format!("VARIABLE_{v}");
        let change = |n: usize| VariableChange {
            operation: if n == 0 { "set" } else { "append" }.to_owned(),
            file: Some(if n == 0 {
                "/srv/build/conf/local.conf".to_owned()
            } else {
                format!(
                    "/srv/layers/meta-layer{}/conf/layer.conf",
                    n % self.layers.max(1)
                )
            }),
            line: Some((v * 10 + n) as u32 + 1),
            flag: None,
            value: Some(format!("value{n}")),
        };
        let history: Vec<VariableChange> = (0..self.variable_history).map(change).collect();
        let value = history
            .iter()
            .filter_map(|c| c.value.clone())
            .collect::<Vec<_>>()
            .join(" ");
        [
            Event::Variable(VariableRecord {
                name: name.clone(),
                value: Some(value),
                unexpanded: None,
                history_kept: true,
            }),
            Event::VariableHistory(VariableHistory {
                name,
                first: 0,
                changes: history,
            }),
        ]
    }

    /// The virtual names the first recipes provide.
    pub fn provider_events(&self) -> impl Iterator<Item = Event> + use<> {
        (0..self.virtual_providers.min(self.recipes)).map(|k| {
            Event::Provider(Provider {
                name: format!("virtual/recipe{k}"),
                recipe: format!("recipe{k}"),
            })
        })
    }

    /// The task name of task `i` (unique per recipe).
    pub fn task_name(&self, i: usize) -> String {
        format!("do_step{}", i / self.recipes)
    }

    /// How task `i` ends.
    pub fn outcome(&self, i: usize) -> TaskOutcome {
        match i % 20 {
            0 => TaskOutcome::Cached,
            1 => TaskOutcome::Covered,
            2 => TaskOutcome::Empty,
            _ => TaskOutcome::Succeeded,
        }
    }

    /// The tasks task `i` waits for, as indices: tasks `i/2`, `i/2 - 1`, … (a tree about
    /// log2(tasks) deep). The dependencies are spread over tasks 1 and on, the later tasks
    /// taking one more where they do not divide evenly.
    pub fn task_dependencies_of(&self, i: usize) -> impl Iterator<Item = usize> {
        let waiting = self.tasks.saturating_sub(1).max(1);
        let (each, extra) = (
            self.task_dependencies / waiting,
            self.task_dependencies % waiting,
        );
        let count = if i == 0 {
            0
        } else {
            each + usize::from(i >= self.tasks - extra)
        };
        (0..count.min(i / 2 + 1)).map(move |k| i / 2 - k)
    }

    /// The dependencies of task `i` as the event that reports them (none for a task that
    /// waits for nothing).
    pub fn task_dependencies_event(&self, i: usize) -> Option<Event> {
        let depends: Vec<TaskName> = self
            .task_dependencies_of(i)
            .map(|j| TaskName::new(format!("recipe{}", self.recipe_of(j)), self.task_name(j)))
            .collect();
        (!depends.is_empty()).then(|| {
            Event::TaskDependencies(TaskDependencies {
                recipe: format!("recipe{}", self.recipe_of(i)),
                task: self.task_name(i),
                depends,
            })
        })
    }

    /// Package `p`.
    pub fn package(&self, p: usize) -> PackageRecord {
        PackageRecord {
            name: format!("package{p}"),
            version: format!("2.{}-r1", p % 5),
            size: (p as u64 + 1) * 4096,
            recipe: format!("recipe{}", p % self.recipes),
            depends: (1..=self.depends)
                .map(|d| format!("package{}", (p + d * 31) % self.packages))
                .collect(),
            relations: if p % 10 == 0 {
                BTreeMap::from([(
                    RelationKind::Rrecommends,
                    vec![format!("package{}", (p + 1) % self.packages)],
                )])
            } else {
                BTreeMap::new()
            },
        }
    }

    /// The files of package `p` (the package files spread evenly, the first packages
    /// taking one more).
    pub fn package_files_event(&self, p: usize) -> Option<Event> {
        let (each, more) = (
            self.package_files / self.packages.max(1),
            self.package_files % self.packages.max(1),
        );
        let count = each + usize::from(p < more);
        (count > 0).then(|| {
            Event::PackageFiles(PackageFiles {
                package: format!("package{p}"),
                files: (0..count)
                    .map(|f| PackageFile {
                        path: format!("/usr/lib/package{p}/file{f}.so"),
                        size: ((p * 7 + f * 13) % 100_000) as u64 + 1,
                    })
                    .collect(),
            })
        })
    }

    /// The image's installed packages (package `i` pulls in the two after it) and its file
    /// listing, in runs of at most 1,000.
    pub fn image_events(&self) -> impl Iterator<Item = Event> + use<> {
        let (installed, entries) = (self.image_packages, self.image_files);
        let target = "core-image-minimal";
        let packages = (0..installed).collect::<Vec<_>>();
        let package_runs = packages.chunks(1_000).map(move |run| {
            Event::ImagePackages(ImagePackages {
                target: target.to_owned(),
                packages: run
                    .iter()
                    .map(|&i| InstalledPackage {
                        name: format!("package{i}"),
                        size: (i as u64 + 1) * 4096,
                        depends: (1..=2)
                            .map(|d| i + d)
                            .filter(|&n| n < installed)
                            .map(|n| ImageDependency {
                                name: format!("package{n}"),
                                kind: if n % 5 == 0 {
                                    ImageDependencyKind::Recommends
                                } else {
                                    ImageDependencyKind::Depends
                                },
                            })
                            .collect(),
                    })
                    .collect(),
            })
        });
        let files = (0..entries).collect::<Vec<_>>();
        let file_runs = files.chunks(1_000).map(move |run| {
            Event::ImageFiles(ImageFiles {
                target: target.to_owned(),
                files: run
                    .iter()
                    .map(|&e| ImageFile {
                        path: format!("/usr/lib/dir{}/file{e}", e % 50),
                        size: (e % 10_000) as u64 * 10,
                        file_type: FileType::File,
                        mode: "-rw-r--r--".to_owned(),
                        owner: "root".to_owned(),
                        group: "root".to_owned(),
                        link: None,
                    })
                    .collect(),
            })
        });
        package_runs
            .collect::<Vec<_>>()
            .into_iter()
            .chain(file_runs.collect::<Vec<_>>())
    }

    /// Log message `l`.
    pub fn log(&self, l: usize, at: Timestamp) -> LogRecord {
        let level = match l % 10 {
            0 => LogLevel::Error,
            1..=3 => LogLevel::Warning,
            _ => LogLevel::Note,
        };
        LogRecord {
            level,
            text: format!(
                "message {l}: something worth saying about recipe{}",
                l % self.recipes
            ),
            task: Some(format!(
                "recipe{}:{}",
                l % self.recipes,
                self.task_name(l % self.tasks.max(1))
            )),
            file: (l % 3 == 0).then(|| format!("/srv/layers/meta-layer0/conf/file{l}.conf")),
            line: (l % 3 == 0).then_some(l as u32 + 1),
            at: Some(at),
        }
    }

    /// Every event of the build, in the order a real one sends them, from `start`; made
    /// as they are taken, so that a long build costs no memory to produce.
    pub fn events(&self, start: Timestamp) -> impl Iterator<Item = Event> + '_ {
        let w = *self;
        let at = move |ms: usize| Some(Timestamp(start.0 + ms as i64));
        let parse = std::iter::once(Event::ParseStarted {
            total: w.recipes as u32,
        })
        .chain((0..w.recipes).flat_map(move |r| {
            let mut step = vec![Event::Recipe(w.recipe(r))];
            if (r + 1) % 100 == 0 {
                step.push(Event::ParseProgress {
                    parsed: r as u32 + 1,
                    total: w.recipes as u32,
                });
            }
            step
        }))
        .chain(std::iter::once(Event::ParseCompleted {
            total: w.recipes as u32,
        }));
        let counts = w.recipe_dependency_counts();
        let variables = (0..w.variables).flat_map(move |v| w.variable_events(v));
        let recipe_dependencies = w
            .provider_events()
            .chain((0..w.recipes).flat_map(move |r| w.recipe_dependency_events(r, counts[r])));
        let task_dependencies = (0..w.tasks).filter_map(move |i| w.task_dependencies_event(i));
        let log_every = (w.tasks / w.logs.max(1)).max(1);
        let logs_during = w.logs.min(w.tasks.div_ceil(log_every));
        let tasks = (0..w.tasks).flat_map(move |i| {
            let recipe = format!("recipe{}", w.recipe_of(i));
            let task = w.task_name(i);
            let outcome = w.outcome(i);
            let ran = matches!(outcome, TaskOutcome::Succeeded | TaskOutcome::Failed);
            let mut step = Vec::with_capacity(4);
            if ran {
                step.push(Event::TaskStarted {
                    recipe: recipe.clone(),
                    task: task.clone(),
                    at: at(i * 10),
                    log_file: None,
                });
            }
            step.push(Event::TaskFinished {
                recipe,
                task,
                outcome,
                at: at(i * 10 + 7),
                cpu_ms: ran.then_some((i % 97) as i64),
                read_bytes: ran.then_some((i * 512) as i64),
                write_bytes: ran.then_some((i * 1024) as i64),
                log_file: ran.then(|| {
                    format!(
                        "/srv/build/tmp/work/recipe{}/temp/log.{}.{i}",
                        w.recipe_of(i),
                        w.task_name(i)
                    )
                }),
                sstate: Some(match outcome {
                    TaskOutcome::Cached => SstateResult::Restored,
                    _ if i % 20 == 3 => SstateResult::Miss,
                    _ => SstateResult::NotApplicable,
                }),
                executed: Some(ran),
                script: Some(if i % 3 == 0 {
                    ScriptType::Python
                } else {
                    ScriptType::Shell
                }),
            });
            if (i + 1) % 100 == 0 {
                step.push(Event::RunQueueProgress {
                    done: i as u32 + 1,
                    total: w.tasks as u32,
                });
            }
            if i % log_every == 0 && i / log_every < logs_during {
                step.push(Event::Log(
                    w.log(i / log_every, Timestamp(start.0 + i as i64 * 10)),
                ));
            }
            step
        });
        let late_logs = (logs_during..w.logs)
            .map(move |l| Event::Log(w.log(l, Timestamp(start.0 + w.tasks as i64 * 10))));
        let packages = (0..w.packages).flat_map(move |p| {
            std::iter::once(Event::Package(w.package(p))).chain(w.package_files_event(p))
        });
        let image = w.image_events();
        let end = [
            Event::Artifact(ArtifactEvent {
                kind: ArtifactKind::Image,
                dir: Some(DEPLOY.to_owned()),
                path: "core-image-minimal-qemux86-64.rootfs.ext4".to_owned(),
                name: None,
                size: Some(64 << 20),
                sha256: Some("1".repeat(64)),
            }),
            Event::Artifact(ArtifactEvent {
                kind: ArtifactKind::Manifest,
                dir: Some(DEPLOY.to_owned()),
                path: "core-image-minimal-qemux86-64.rootfs.manifest".to_owned(),
                name: None,
                size: Some(12_000),
                sha256: Some("2".repeat(64)),
            }),
            Event::BuildCompleted {
                state: BuildState::Succeeded,
                at: at(w.tasks * 10 + 100),
            },
        ];
        parse
            .chain(variables)
            .chain(recipe_dependencies)
            .chain(task_dependencies)
            .chain(tasks)
            .chain(late_logs)
            .chain(packages)
            .chain(image)
            .chain(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipe_dependencies_are_as_many_as_asked_some_through_virtual_providers() {
        for w in [Workload::LARGE_IMAGE, Workload::SMALL] {
            let counts = w.recipe_dependency_counts();
            let (mut total, mut via) = (0, 0);
            for (r, &count) in counts.iter().enumerate() {
                assert!(count <= r, "recipe {r} needs only recipes before it");
                for event in w.recipe_dependency_events(r, count) {
                    let Event::RecipeDependencies(deps) = event else {
                        panic!("recipe dependencies")
                    };
                    total += deps.depends.len();
                    via += deps.depends.iter().filter(|d| d.via.is_some()).count();
                }
            }
            assert_eq!((total, via), (w.recipe_dependencies, w.virtual_providers));
            assert_eq!(w.provider_events().count(), w.virtual_providers);
        }
    }

    #[test]
    fn task_dependencies_are_as_many_as_asked_each_once_and_earlier() {
        for w in [Workload::LARGE_IMAGE, Workload::SMALL] {
            let mut total = 0;
            for i in 0..w.tasks {
                let deps: Vec<usize> = w.task_dependencies_of(i).collect();
                let unique: std::collections::BTreeSet<usize> = deps.iter().copied().collect();
                assert_eq!(unique.len(), deps.len(), "task {i}");
                assert!(deps.iter().all(|&j| j < i), "task {i}: {deps:?}");
                total += deps.len();
            }
            assert_eq!(total, w.task_dependencies);
        }
    }
}
