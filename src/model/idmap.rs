//! [`IdMap`]: the knowledge base's claims, topics and sources by id — walked in id order,
//! looked up by hashing.
//!
//! Every walk over them must be in one order (the output is byte-identical for the same
//! input), and rendering looks them up by id hundreds of thousands of times (each embed,
//! citation and back-link). A `BTreeMap<String, _>` does both, but each lookup compares
//! strings down the tree; once 100,000 claims no longer fit in the cache those comparisons
//! were 11.7% of a build in `perf`, against 7.3% at 10,000 — a cost that grew faster than the
//! site. An `IndexMap` kept sorted by id does both in constant time per item.

use std::borrow::Borrow;
use std::fmt;
use std::hash::Hash;

use indexmap::IndexMap;

/// A map from ids to items, always in id order. Replacing an item keeps its place; a new
/// id is put where it sorts.
#[derive(Clone, PartialEq, Eq)]
pub struct IdMap<V> {
    items: IndexMap<String, V>,
}

impl<V> IdMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        IdMap {
            items: IndexMap::new(),
        }
    }

    /// How many ids the map holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the map holds no id.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item under `id` (a hash lookup), or None.
    pub fn get<Q>(&self, id: &Q) -> Option<&V>
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.items.get(id)
    }

    /// The item under `id`, to change in place (its id and place stay), or None.
    pub fn get_mut<Q>(&mut self, id: &Q) -> Option<&mut V>
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.items.get_mut(id)
    }

    /// Whether an item is under `id`.
    pub fn contains_key<Q>(&self, id: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.items.contains_key(id)
    }

    /// Puts `item` under `id`, in its place in id order; the item it replaces, if any. A new
    /// id moves every item after it: to build a map, collect it instead.
    pub fn insert(&mut self, id: String, item: V) -> Option<V> {
        match self.items.get_index_of(&id) {
            Some(at) => Some(std::mem::replace(&mut self.items[at], item)),
            None => {
                self.items.insert_sorted(id, item);
                None
            }
        }
    }

    /// Ids and items, in id order (byte order of the ids, as a `BTreeMap` walks them).
    pub fn iter(&self) -> indexmap::map::Iter<'_, String, V> {
        self.items.iter()
    }

    /// Ids and items to change in place, in id order.
    pub fn iter_mut(&mut self) -> indexmap::map::IterMut<'_, String, V> {
        self.items.iter_mut()
    }

    /// The ids, in id order.
    pub fn keys(&self) -> indexmap::map::Keys<'_, String, V> {
        self.items.keys()
    }

    /// The items, in id order.
    pub fn values(&self) -> indexmap::map::Values<'_, String, V> {
        self.items.values()
    }

    /// The items on every core, in id order as far as an indexed parallel iterator keeps it.
    pub fn par_iter(&self) -> indexmap::map::rayon::ParIter<'_, String, V>
    where
        V: Sync,
    {
        use rayon::iter::IntoParallelRefIterator;
        self.items.par_iter()
    }
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap::new()
    }
}

impl<V: fmt::Debug> fmt::Debug for IdMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.items.iter()).finish()
    }
}

/// In id order whatever the order given; of two items with one id, the last is kept (as
/// collecting into a `BTreeMap` does).
impl<V> FromIterator<(String, V)> for IdMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut items: IndexMap<String, V> = iter.into_iter().collect();
        items.sort_keys();
        IdMap { items }
    }
}

/// Items under ids already in the map replace theirs; the map is sorted once at the end.
impl<V> Extend<(String, V)> for IdMap<V> {
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, iter: I) {
        self.items.extend(iter);
        self.items.sort_keys();
    }
}

impl<V, Q> std::ops::Index<&Q> for IdMap<V>
where
    String: Borrow<Q>,
    Q: Hash + Eq + ?Sized,
{
    type Output = V;

    /// Panics when `id` is not in the map, like indexing a `BTreeMap`: for ids known to be
    /// there.
    fn index(&self, id: &Q) -> &V {
        &self.items[id]
    }
}

impl<'a, V> IntoIterator for &'a IdMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = indexmap::map::Iter<'a, String, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, V> IntoIterator for &'a mut IdMap<V> {
    type Item = (&'a String, &'a mut V);
    type IntoIter = indexmap::map::IterMut<'a, String, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter_mut()
    }
}

impl<V> IntoIterator for IdMap<V> {
    type Item = (String, V);
    type IntoIter = indexmap::map::IntoIter<String, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Edit {
        Insert(String, u32),
        Extend(Vec<(String, u32)>),
    }

    fn arb_id() -> impl Strategy<Value = String> {
        "[a-e]{1,3}"
    }

    fn arb_edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (arb_id(), any::<u32>()).prop_map(|(id, n)| Edit::Insert(id, n)),
            proptest::collection::vec((arb_id(), any::<u32>()), 0..5).prop_map(Edit::Extend),
        ]
    }

    proptest! {
        /// Whatever is collected, inserted and extended, an IdMap holds and walks exactly
        /// what a BTreeMap would, in the same order.
        #[test]
        fn behaves_as_a_btreemap(
            start in proptest::collection::vec((arb_id(), any::<u32>()), 0..20),
            edits in proptest::collection::vec(arb_edit(), 0..30),
        ) {
            let mut ids: IdMap<u32> = start.iter().cloned().collect();
            let mut tree: BTreeMap<String, u32> = start.into_iter().collect();
            for edit in edits {
                match edit {
                    Edit::Insert(id, n) => {
                        prop_assert_eq!(ids.insert(id.clone(), n), tree.insert(id, n));
                    }
                    Edit::Extend(items) => {
                        ids.extend(items.clone());
                        tree.extend(items);
                    }
                }
                let walked: Vec<(&String, &u32)> = ids.iter().collect();
                prop_assert_eq!(walked, tree.iter().collect::<Vec<_>>());
                for id in tree.keys() {
                    prop_assert_eq!(ids.get(id.as_str()), tree.get(id));
                    prop_assert_eq!(&ids[id.as_str()], &tree[id]);
                }
                prop_assert_eq!(ids.len(), tree.len());
            }
        }
    }

    #[test]
    fn walks_in_parallel_in_id_order() {
        use rayon::iter::ParallelIterator;
        let ids: IdMap<u32> = [("b", 2), ("c", 3), ("a", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let walked: Vec<String> = ids.par_iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(walked, ["a", "b", "c"]);
    }
}
