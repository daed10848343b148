#include "measurement.hpp"

#include <algorithm>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/measurement/list.hpp"
#include "ima/measurement/replay.hpp"
#include "ima/measurement/template.hpp"
#include "keys.hpp"
#include "pcrs.hpp"
#include "run.hpp"
#include "status.hpp"
#include "target.hpp"
#include "verify_ima.hpp"

namespace ima::evmctl {

namespace {

namespace m = ima::measurement;

constexpr size_t sha1_size = 20;
constexpr uint32_t max_name = 255;  // TCG_EVENT_NAME_LEN_MAX

bool all_zero(ByteView b) {
    return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
}

Bytes extend(const Bank& b, const Bytes& pcr, ByteView digest) {
    Hasher h(b.algo);
    h.update(pcr);
    h.update(digest);
    return h.finish();
}

// The replayed banks: per-bank template digests, and the SHA-1 digest
// zero-padded (kernels before 5.11), each with evmctl's violation rule.
struct Replay {
    std::vector<Bank> banks = evmctl_banks();
    std::vector<Bank> padded = evmctl_banks();

    void add(const m::Entry& e, bool ignore_violations) {
        const bool violation = all_zero(e.template_digest);
        for (size_t i = 0; i < banks.size(); ++i) {
            Bytes d(banks[i].digest_size(), 0), p(banks[i].digest_size(), 0);
            if (violation) {
                if (ignore_violations) {  // what the kernel extends: all ones (20 of them, zero-padded, before 5.11)
                    std::fill(d.begin(), d.end(), 0xff);
                    std::fill(p.begin(), p.begin() + sha1_size, 0xff);
                }
            } else {
                d = m::template_digest(e, banks[i].algo);
                std::copy(e.template_digest.begin(), e.template_digest.end(), p.begin());
            }
            banks[i].pcr[e.pcr] = extend(banks[i], banks[i].pcr[e.pcr], d);
            padded[i].pcr[e.pcr] = extend(padded[i], padded[i].pcr[e.pcr], p);
        }
    }
};

// evmctl's compare_tpm_banks for one bank: 1 when a PCR the replay touched
// differs from the TPM's; 0 when they agree or either side lacks the bank.
int compare(const Bank& replayed, const Bank& tpm) {
    if (!tpm.supported) return 0;
    int ret = 0;
    for (size_t j = 0; j < num_pcrs; ++j) {
        if (all_zero(replayed.pcr[j])) continue;
        if (replayed.pcr[j] != tpm.pcr[j]) ret = 1;
    }
    return ret;
}

// The fields of an ima-sig entry: digest ("<algo>:" NUL digest), name, signature.
struct SigFields {
    ByteView digest_field, name, sig;
};
std::optional<SigFields> split_ima_sig(ByteView data) {
    try {
        Reader r(data, "ima-sig template data");
        SigFields f;
        f.digest_field = r.bytes(r.u32_host());
        f.name = r.bytes(r.u32_host());
        f.sig = r.bytes(r.u32_host());
        return f;
    } catch (const FormatError&) {
        return std::nullopt;
    }
}

class Checker {
public:
    Checker(const Options& opts, Console& con) : opts_(opts), con_(con) {}

    void check(const m::Entry& e) {
        // ima-sig: d-ng|n-ng|sig; ima-sigv2 (evmctl 1.6): d-ngv2|n-ng|sig
        if (e.template_name != "ima-sig" && e.template_name != "ima-sigv2") return;
        auto f = split_ima_sig(e.template_data);
        if (!f || f->sig.empty()) return;
        std::string path(m::field_string(f->name));
        // The keys load at the first signature to check: a list without
        // any needs no key file, and gets no error about a missing one.
        if (!keys_) keys_.emplace(opts_, con_);
        VerifyKeys& keys = *keys_;
        try {
            if (opts_.verify_sig) {
                m::DigestField d;
                try {
                    d = m::decode_digest_with_algo(f->digest_field);
                } catch (const Error& x) {
                    rethrow_for(x, path);
                }
                verify_ima_value_digest(keys, con_, path, f->sig, d.digest);
            } else {
                struct stat st = lstat_path(path);
                Fd fd = open_regular(path, st);
                verify_ima_value(opts_, keys, con_, path, f->sig, fd.get(), st);
            }
            con_.debug(path + ": verification is OK");
        } catch (const Error& x) {
            con_.error(x.what());  // each message names the file
        }
    }

private:
    const Options& opts_;
    Console& con_;
    std::optional<VerifyKeys> keys_;
};

}  // namespace

int cmd_ima_measurement(const Options& opts, Console& con, const std::string& sysfs_root) {
    if (opts.args.size() < 2) return missing_operand(opts.args[0], con);
    const std::string& path = opts.args[1];
    const m::ParseOptions parse{.order = m::OrderChoice::host, .name_ends_at_nul = true};
    // Read as it is checked: a stream that is not a list (a device of zeros)
    // stops at its first malformed entry instead of being read whole; the
    // reader below then reports that entry with evmctl's message and status.
    Bytes data;
    struct Malformed {};
    try {
        m::ListScanner scan(parse);
        Bytes upto;
        try {
            data = read_bounded(path, ReadOptions{.max_bytes = m::kMaxListBytes, .allow_stdin = true}, "",
                                [&](ByteView so_far) {
                                    try {
                                        scan.feed(so_far);
                                    } catch (const FormatError&) {
                                        upto.assign(so_far.begin(), so_far.end());
                                        throw Malformed{};
                                    }
                                });
        } catch (const Malformed&) {
            data = std::move(upto);
        }
    } catch (const Error& e) {
        con.error(std::string("measurement list ") + e.what());
        return status_error;
    }
    Checker checker(opts, con);

    // The PCRs are read before the list is walked, so that the list covers them.
    std::vector<Bank> tpm = evmctl_banks();
    bool have_tpm = false;
    try {
        if (!opts.pcrs.empty()) {
            read_pcr_files(opts.pcrs, tpm);
            have_tpm = true;
        } else {
            have_tpm = read_tpm_pcrs(tpm, sysfs_root, opts.hwtpm);
        }
    } catch (const Error& e) {
        con.error(e.what());
    }

    const unsigned all = (1u << tpm.size()) - 1;
    unsigned bank_mask = all, padded_mask = all;
    if (opts.verify_bank) {
        // evmctl drops the first bank whose name differs (of two, the other one).
        for (size_t c = 0; c < tpm.size(); ++c) {
            if (tpm[c].name() != *opts.verify_bank) {
                bank_mask ^= 1u << c;
                padded_mask ^= 1u << c;
                break;
            }
        }
    }

    Replay replay;
    int err = -1, err_padded = -1;
    bool invalid_template = false;
    std::optional<bool> first_is_ima;
    auto finish = [&](int status) { return status < 0 ? status_error : status; };
    // evmctl reads the list in this machine's byte order, SHA-1 template
    // digests, the name as a C string; its own rules for what a malformed
    // entry means follow the reader's stop.
    m::ListReader reader(data, parse);
    auto where_of = [&](size_t index) { return path + ": entry " + std::to_string(index); };
    for (;;) {
        std::optional<m::Entry> next = reader.next();
        if (!next) {
            const m::Entry& p = reader.partial();
            const std::string where = where_of(p.index);
            const uint32_t len = reader.declared_length();
            switch (reader.stop()) {
                case m::ListStop::end: break;
                case m::ListStop::bad_pcr:
                    con.error(where + ": invalid PCR " + std::to_string(p.pcr));
                    return status_bad;
                case m::ListStop::bad_name_length:
                    if (len > max_name) {
                        con.error(where + ": template name too long (" + std::to_string(len) + ")");
                        return status_bad;
                    }
                    con.error(where + ": cannot read the template name");
                    return finish(err);
                case m::ListStop::truncated:
                case m::ListStop::too_long:
                    switch (reader.part()) {
                        case m::ListPart::header: break;  // fewer bytes than a header: evmctl stops quietly
                        case m::ListPart::name: con.error(where + ": cannot read the template name"); break;
                        case m::ListPart::data_length: con.error(where + ": cannot read the template length"); break;
                        case m::ListPart::data: con.error(where + ": cannot read the template"); break;
                        case m::ListPart::ima_digest: con.error(where + ": cannot read the file digest"); break;
                        case m::ListPart::ima_name:
                            con.error(where +
                                      (len > max_name ? ": file name too long" : ": cannot read the file name"));
                            break;
                    }
                    if (reader.part() != m::ListPart::header) return finish(err);
                    break;
            }
            break;
        }
        m::Entry& e = *next;
        const std::string where = where_of(e.index);
        const bool is_ima = e.template_name == "ima";
        if (!first_is_ima) first_is_ima = is_ima;
        if (*first_is_ima != is_ima) {
            con.error(where + ": a list mixing template \"ima\" with others is not supported");
            return finish(err);
        }
        if (is_ima) {
            const size_t flen = e.fields.size() == 2 ? e.fields[1].size() : 0;
            if (flen > max_name) return con.error(where + ": file name too long"), finish(err);
            if (flen == 0) return con.error(where + ": cannot read the file name"), finish(err);
        } else if (e.template_data.empty()) {
            return con.error(where + ": cannot read the template"), finish(err);
        }

        replay.add(e, opts.ignore_violations);
        err = 0;
        if (!e.is_violation() &&
            m::template_digest(e, HashAlgo::sha1) != Bytes(e.template_digest.begin(), e.template_digest.end())) {
            con.debug(where + ": template data digest does not match");
            err = 1;
            invalid_template = true;
        }
        checker.check(e);
        if (!have_tpm) continue;

        for (size_t c = 0; c < tpm.size(); ++c) {
            if (!(bank_mask & (1u << c))) continue;
            err = compare(replay.banks[c], tpm[c]);
            if (!err) bank_mask ^= 1u << c;
        }
        if (bank_mask == 0) break;
        for (size_t c = 0; c < tpm.size(); ++c) {
            if (!(padded_mask & (1u << c))) continue;
            err_padded = compare(replay.padded[c], tpm[c]);
            if (!err_padded) padded_mask ^= 1u << c;
        }
        if (padded_mask == 0) break;
    }

    if (!have_tpm) {
        con.info("Failed to read any TPM PCRs");
    } else if (err == 0) {
        con.info("Matched per TPM bank calculated digest(s).");
    } else if (err_padded == 0) {
        con.info("Matched SHA1 padded TPM digest(s).");
        err = 0;
    } else {
        con.info("Failed to match per TPM bank or SHA1 padded TPM digest(s).");
    }
    if (invalid_template) {
        con.info("Failed to verify template data digest.");
        err = 1;
    }
    return finish(err);
}

}  // namespace ima::evmctl
