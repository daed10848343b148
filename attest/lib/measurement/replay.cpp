#include "ima/measurement/replay.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "ima/digest.hpp"
#include "ima/error.hpp"

namespace ima::measurement {

namespace {

constexpr size_t kPcrs = 24;

void feed_template(Hasher& h, const Entry& e) {
    if (e.desc && e.desc->is_ima() && e.fields.size() == 2) {
        // ima_calc_field_array_hash_tfm: the 'n' field is copied into a
        // zeroed buffer of IMA_EVENT_NAME_LEN_MAX + 1 bytes and hashed whole.
        static const uint8_t zeros[256] = {};
        ByteView name = e.fields[1];
        size_t n = std::min<size_t>(name.size(), sizeof zeros);
        h.update(e.fields[0]);
        h.update(name.first(n));
        h.update(ByteView(zeros, sizeof zeros - n));
    } else {
        h.update(e.template_data);
    }
}

// One way of extending one bank, followed entry by entry.
struct Track {
    ExtendRule rule;
    std::array<Bytes, kPcrs> value;
    std::array<bool, kPcrs> equal{};
    size_t mismatches = 0;
    std::optional<size_t> last_match;  // entries covered by the latest full match
};

}  // namespace

Bytes template_digest(const Entry& e, HashAlgo algo) {
    Hasher h(algo);
    feed_template(h, e);
    return h.finish();
}

const char* extend_rule_name(ExtendRule r) {
    switch (r) {
        case ExtendRule::per_bank: return "per-bank template digests";
        case ExtendRule::recorded: return "zero-padded SHA-1 template digests";
        case ExtendRule::sha1_fallback:
            return "zero-padded SHA-1 template digests, violations all-ones (the kernel lacked the bank's hash)";
    }
    return "";
}

const char* extend_rule_id(ExtendRule r) {
    switch (r) {
        case ExtendRule::per_bank: return "per-bank";
        case ExtendRule::recorded: return "sha1-padded";
        case ExtendRule::sha1_fallback: return "sha1-fallback";
    }
    return "";
}

ReplayResult replay(const MeasurementList& list, const ReplayOptions& opts) {
    ReplayResult res;
    res.entries = list.entries.size();
    std::array<bool, kPcrs> used{};
    used[kImaPcr] = true;
    // Lists put together by hand (tests, other parsers) need not have been
    // range-checked: a PCR number indexes arrays below.
    for (const Entry& e : list.entries) {
        if (e.pcr >= kPcrs)
            throw FormatError("entry " + std::to_string(e.index) + ": PCR " + std::to_string(e.pcr) +
                              " is out of range (0-23)");
        used[e.pcr] = true;
    }
    for (unsigned p = 0; p < kPcrs; ++p)
        if (used[p]) res.pcrs.push_back(p);

    const HashAlgo rec_algo = list.digest_algo;
    const size_t rec_size = hash_algo_info(rec_algo).digest_size;

    struct Bank {
        HashAlgo algo;
        size_t size;
        Hasher hasher;
        const PcrMap* expected;
        std::vector<Track> tracks;
    };
    std::vector<Bank> banks;
    for (HashAlgo a : opts.banks) {
        Bank b{a, hash_algo_info(a).digest_size, Hasher(a), nullptr, {}};
        if (opts.expected) {
            b.expected = opts.expected->bank(a);
            if (!b.expected)
                throw Error(ErrorKind::env, opts.expected->source + ": no " + hash_algo_info(a).name + " PCR values");
            for (unsigned p : res.pcrs)
                if (!b.expected->count(p))
                    throw Error(ErrorKind::env, opts.expected->source + ": no value for " + hash_algo_info(a).name +
                                                    " PCR " + std::to_string(p) + ", which the list extends");
        }
        b.tracks.push_back(Track{ExtendRule::per_bank, {}, {}, 0, {}});
        if (rec_algo == a || (rec_algo == HashAlgo::sha1 && b.size >= rec_size))
            b.tracks.push_back(Track{ExtendRule::recorded, {}, {}, 0, {}});
        if (rec_algo == HashAlgo::sha1 && b.size > rec_size)
            b.tracks.push_back(Track{ExtendRule::sha1_fallback, {}, {}, 0, {}});
        for (Track& t : b.tracks) {
            const PcrMap* start = opts.initial ? opts.initial->bank(a) : nullptr;
            for (unsigned p : res.pcrs) {
                auto it = start ? start->find(p) : PcrMap::const_iterator{};
                t.value[p] = start && it != start->end() && it->second.size() == b.size ? it->second : Bytes(b.size, 0);
                if (b.expected) {
                    t.equal[p] = b.expected->at(p) == t.value[p];
                    if (!t.equal[p]) ++t.mismatches;
                }
            }
            // No match before the first entry: PCRs at their reset values
            // match an empty list, and an empty list proves nothing. Values
            // a trusted check proved are another matter.
            if (start && b.expected && t.mismatches == 0) t.last_match = opts.initial_entries;
        }
        banks.push_back(std::move(b));
    }
    // The recorded digests are checked with their own algorithm; when that
    // is a replayed bank, its per-bank digest serves.
    std::optional<Hasher> check_hasher;
    bool check_in_banks = std::any_of(banks.begin(), banks.end(), [&](const Bank& b) { return b.algo == rec_algo; });
    if (!check_in_banks) check_hasher.emplace(rec_algo);

    Bytes digest, padded, ones, ones_padded;
    for (const Entry& e : list.entries) {
        const bool violation = e.is_violation();
        if (violation) res.violations.push_back(e.index);
        if (!violation && check_hasher) {
            feed_template(*check_hasher, e);
            if (check_hasher->finish() != Bytes(e.template_digest.begin(), e.template_digest.end()))
                res.bad_template_digest.push_back(e.index);
        }
        for (Bank& b : banks) {
            if (violation) {
                digest.assign(b.size, 0xff);
                padded.assign(b.size, 0);
                std::fill_n(padded.begin(), std::min(rec_size, b.size), 0xff);
            } else {
                feed_template(b.hasher, e);
                digest = b.hasher.finish();
                if (b.algo == rec_algo &&
                    !std::equal(digest.begin(), digest.end(), e.template_digest.begin(), e.template_digest.end()))
                    res.bad_template_digest.push_back(e.index);
                padded.assign(b.size, 0);
                std::copy_n(e.template_digest.begin(), std::min(rec_size, b.size), padded.begin());
            }
            for (Track& t : b.tracks) {
                Bytes& v = t.value[e.pcr];
                b.hasher.update(v);
                const Bytes& d = t.rule == ExtendRule::recorded || (t.rule == ExtendRule::sha1_fallback && !violation)
                                     ? padded
                                     : digest;
                b.hasher.update(d);
                v = b.hasher.finish();
                if (b.expected) {
                    bool eq = v == b.expected->at(e.pcr);
                    if (eq != t.equal[e.pcr]) {
                        if (eq)
                            --t.mismatches;
                        else
                            ++t.mismatches;
                        t.equal[e.pcr] = eq;
                    }
                    if (t.mismatches == 0) t.last_match = e.index;
                }
            }
        }
    }
    std::sort(res.bad_template_digest.begin(), res.bad_template_digest.end());
    res.bad_template_digest.erase(std::unique(res.bad_template_digest.begin(), res.bad_template_digest.end()),
                                  res.bad_template_digest.end());

    for (Bank& b : banks) {
        BankReplay br;
        br.bank = b.algo;
        br.compared = b.expected != nullptr;
        const Track* chosen = &b.tracks[0];
        if (b.expected) {
            // A full match beats a prefix match; per-bank digests beat recorded ones.
            const Track* best = nullptr;
            for (const Track& t : b.tracks)
                if (t.last_match && (!best || *t.last_match > *best->last_match)) best = &t;
            if (best && best->rule != ExtendRule::per_bank && !res.bad_template_digest.empty()) {
                // The PCRs agree with the recorded digests, not with the data
                // they stand for: the list was altered after it was measured.
                br.recorded_matches = true;
                best = nullptr;
            }
            if (best) {
                chosen = best;
                br.matched = true;
                br.matched_entries = *best->last_match;
            } else {
                for (unsigned p : res.pcrs)
                    if (!chosen->equal[p]) br.mismatched_pcrs.push_back(p);
            }
        }
        br.rule = chosen->rule;
        for (unsigned p : res.pcrs) br.replayed[p] = chosen->value[p];
        res.banks.push_back(std::move(br));
    }
    return res;
}

}  // namespace ima::measurement
