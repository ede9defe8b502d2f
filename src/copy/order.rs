//! The order tables are loaded in when the target's foreign keys are live (a copy without
//! `--plan`): parents before children, and tables linked by foreign keys emptied together.
//!
//! - A table starts only when every table it references (among the tables of this run) has
//!   finished; a table whose parent failed is not started (its rows would fail the same way).
//! - Tables in a reference cycle cannot be ordered: their foreign-key checks are switched off
//!   for their load (`session_replication_role = replica`, superusers only: the source's
//!   constraints held, so the rows satisfy them); a role that cannot do that is refused before
//!   anything is copied, naming the cycle and `--plan` (whose 01_before_copy drops the keys).
//! - Tables linked by foreign keys are emptied with one `TRUNCATE ONLY a, b, …` before the
//!   load: PostgreSQL refuses to truncate a referenced table on its own, and the fallback
//!   (DELETE) checks every referencing row, which fails on a child's old rows (`--jobs 1`) or
//!   deadlocks with the child's own truncation (`--jobs 2`, SQLSTATE 40P01).
//!
//! A self-reference needs nothing: a COPY checks its rows' references at the end of the
//! statement.

use super::CopyTable;
use std::collections::{BTreeSet, HashMap};

/// Foreign-key dependencies among the tables of a run (indexes into its table list).
#[derive(Debug, Clone, Default)]
pub struct Order {
    /// `parents[i]`: the tables table `i` references (self-references and in-cycle
    /// references left out: nothing to wait for).
    pub parents: Vec<Vec<usize>>,
    /// Tables in a reference cycle (their checks are off during their load).
    pub in_cycle: Vec<bool>,
    /// Groups of tables linked by foreign keys (two or more), each in dependency order:
    /// emptied together.
    pub linked: Vec<Vec<usize>>,
    /// The cycles, as lists of tables, for messages.
    pub cycles: Vec<Vec<usize>>,
}

impl Order {
    /// No dependencies (the keys are dropped, or the target is not PostgreSQL).
    pub fn none(n: usize) -> Order {
        Order {
            parents: vec![Vec::new(); n],
            in_cycle: vec![false; n],
            linked: Vec::new(),
            cycles: Vec::new(),
        }
    }

    /// The order for `n` tables with foreign keys `(child, parent)`.
    pub fn new(n: usize, edges: &[(usize, usize)]) -> Order {
        let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for &(c, p) in edges {
            if c != p && c < n && p < n {
                adj[c].insert(p);
            }
        }
        let comp = components(&adj);
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, &k) in comp.iter().enumerate() {
            members.entry(k).or_default().push(i);
        }
        let mut cycles: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
        cycles.sort();
        let in_cycle: Vec<bool> = (0..n)
            .map(|i| cycles.iter().any(|c| c.contains(&i)))
            .collect();
        let parents: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                adj[i]
                    .iter()
                    .copied()
                    .filter(|&p| comp[p] != comp[i])
                    .collect()
            })
            .collect();
        // Linked groups: connected components of the undirected graph, in dependency order.
        let topo = topological(&parents);
        let mut group = (0..n).collect::<Vec<_>>();
        fn find(g: &mut [usize], i: usize) -> usize {
            if g[i] != i {
                g[i] = find(g, g[i]);
            }
            g[i]
        }
        for (c, ps) in adj.iter().enumerate() {
            for &p in ps {
                let (a, b) = (find(&mut group, c), find(&mut group, p));
                group[a] = b;
            }
        }
        let mut linked: HashMap<usize, Vec<usize>> = HashMap::new();
        for &i in &topo {
            let g = find(&mut group, i);
            linked.entry(g).or_default().push(i);
        }
        let mut linked: Vec<Vec<usize>> = linked.into_values().filter(|g| g.len() > 1).collect();
        linked.sort();
        Order {
            parents,
            in_cycle,
            linked,
            cycles,
        }
    }

    /// The order of `tables` from foreign keys named `((child owner, name), (parent owner, name))`;
    /// keys touching tables outside the run are ignored.
    pub fn of(tables: &[CopyTable], keys: &[((String, String), (String, String))]) -> Order {
        let at: HashMap<(&str, &str), usize> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| ((t.owner.as_str(), t.name.as_str()), i))
            .collect();
        let edges: Vec<(usize, usize)> = keys
            .iter()
            .filter_map(|((co, cn), (po, pn))| {
                Some((
                    *at.get(&(co.as_str(), cn.as_str()))?,
                    *at.get(&(po.as_str(), pn.as_str()))?,
                ))
            })
            .collect();
        Order::new(tables.len(), &edges)
    }

    /// The cycles named for a message.
    pub fn describe_cycles(&self, tables: &[CopyTable]) -> String {
        self.cycles
            .iter()
            .map(|c| {
                c.iter()
                    .map(|&i| tables[i].display())
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Strongly connected components (Tarjan, iterative): `comp[i]` is the component of `i`.
fn components(adj: &[BTreeSet<usize>]) -> Vec<usize> {
    let n = adj.len();
    let (mut index, mut low, mut on, mut comp) = (
        vec![usize::MAX; n],
        vec![0; n],
        vec![false; n],
        vec![usize::MAX; n],
    );
    let (mut stack, mut next, mut count) = (Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, Vec<usize>)> = vec![(root, adj[root].iter().copied().collect())];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on[root] = true;
        while let Some((v, rest)) = work.last_mut() {
            let v = *v;
            if let Some(w) = rest.pop() {
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on[w] = true;
                    work.push((w, adj[w].iter().copied().collect()));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some((u, _)) = work.last() {
                    low[*u] = low[*u].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on[w] = false;
                        comp[w] = count;
                        if w == v {
                            break;
                        }
                    }
                    count += 1;
                }
            }
        }
    }
    comp
}

/// Tables, parents before children (`parents` is acyclic), ties by index.
fn topological(parents: &[Vec<usize>]) -> Vec<usize> {
    let n = parents.len();
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let before = out.len();
        for i in 0..n {
            if !done[i] && parents[i].iter().all(|&p| done[p]) {
                done[i] = true;
                out.push(i);
            }
        }
        if out.len() == before {
            // Unreachable for acyclic input; keep every table anyway.
            out.extend((0..n).filter(|&i| !done[i]));
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_first_cycles_found_linked_groups_in_order() {
        // 0 <- 1 <- 2 (chain), 3 <-> 4 (cycle) -> 0, 5 alone, 6 self-referencing.
        let o = Order::new(7, &[(1, 0), (2, 1), (3, 4), (4, 3), (4, 0), (6, 6)]);
        assert_eq!(o.parents[2], vec![1]);
        assert_eq!(o.parents[1], vec![0]);
        assert_eq!(
            o.parents[3],
            Vec::<usize>::new(),
            "in-cycle edges are not waited for"
        );
        assert_eq!(o.parents[4], vec![0]);
        assert!(o.parents[6].is_empty());
        assert_eq!(o.cycles, vec![vec![3, 4]]);
        assert_eq!(o.in_cycle, [false, false, false, true, true, false, false]);
        assert_eq!(o.linked.len(), 1);
        let g = &o.linked[0];
        let mut sorted = g.clone();
        sorted.sort();
        assert_eq!(sorted, [0, 1, 2, 3, 4]);
        let pos = |i: usize| g.iter().position(|&x| x == i).unwrap();
        for (c, p) in [(1, 0), (2, 1), (4, 0)] {
            assert!(pos(p) < pos(c), "{p} before {c} in {g:?}");
        }
        let lone = Order::new(2, &[]);
        assert!(lone.linked.is_empty() && lone.cycles.is_empty());
    }

    #[test]
    fn keys_by_name_pairs_never_joined_strings() {
        let t = |o: &str, n: &str| CopyTable {
            owner: o.into(),
            name: n.into(),
            bytes: 0,
        };
        // a."b.c" and "a.b".c are two tables: a key on one says nothing about the other.
        let tables = [t("a", "b.c"), t("a.b", "c"), t("a", "p")];
        let k =
            |c: (&str, &str), p: (&str, &str)| ((c.0.into(), c.1.into()), (p.0.into(), p.1.into()));
        let o = Order::of(&tables, &[k(("a.b", "c"), ("a", "p"))]);
        assert_eq!(o.parents, vec![vec![], vec![2], vec![]]);
    }
}
