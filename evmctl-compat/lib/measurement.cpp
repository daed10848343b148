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
        if (e.template_name != "ima-sig") return;
        auto f = split_ima_sig(e.template_data);
        if (!f || f->sig.empty()) return;
        std::string path(m::field_string(f->name));
        // The keys load at the first signature to check: a list without
        // any needs no key file, and gets no error about a missing one.
        if (!keys_) keys_.emplace(opts_, con_);
        VerifyKeys& keys = *keys_;
        try {
            if (opts_.verify_sig) {
                m::DigestField d = m::decode_digest_with_algo(f->digest_field);
                verify_ima_value_digest(keys, con_, path, f->sig, d.digest);
            } else {
                struct stat st = lstat_path(path);
                Fd fd = open_regular(path, st);
                verify_ima_value(opts_, keys, con_, path, f->sig, fd.get(), st);
            }
            con_.debug(path + ": verification is OK");
        } catch (const Failure& x) {
            con_.error(x.what());
        } catch (const Error& x) {
            con_.error(path + ": " + x.what());
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
    Bytes data;
    try {
        data = read_bounded(path, ReadOptions{.max_bytes = m::kMaxListBytes, .allow_stdin = true});
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
            have_tpm = read_tpm_pcrs(tpm, sysfs_root);
        }
    } catch (const Failure& e) {
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
    const m::TemplateDesc* ima_desc = m::builtin_template("ima");
    m::TemplateSet templates;
    Reader r(data, "measurement list");
    size_t entry_num = 0;
    auto finish = [&](int status) { return status < 0 ? status_error : status; };

    while (r.remaining() >= 4 + sha1_size + 4) {
        ++entry_num;
        m::Entry e;
        e.index = entry_num;
        e.offset = r.pos();
        e.pcr = r.u32_host();
        e.template_digest = r.bytes(sha1_size);
        uint32_t name_len = r.u32_host();
        const std::string where = path + ": entry " + std::to_string(entry_num);
        if (e.pcr >= num_pcrs) {
            con.error(where + ": invalid PCR " + std::to_string(e.pcr));
            return status_bad;
        }
        if (name_len > max_name) {
            con.error(where + ": template name too long (" + std::to_string(name_len) + ")");
            return status_bad;
        }
        if (name_len == 0 || r.remaining() < name_len) {
            con.error(where + ": cannot read the template name");
            return finish(err);
        }
        ByteView name = r.bytes(name_len);
        e.template_name = std::string_view(reinterpret_cast<const char*>(name.data()), name.size());
        // evmctl reads the name into a NUL-filled buffer: it ends at the first NUL.
        e.template_name = e.template_name.substr(0, e.template_name.find('\0'));
        const bool is_ima = e.template_name == "ima";
        if (!first_is_ima) first_is_ima = is_ima;
        if (*first_is_ima != is_ima) {
            con.error(where + ": a list mixing template \"ima\" with others is not supported");
            return finish(err);
        }
        if (!is_ima) {
            if (r.remaining() < 4) return con.error(where + ": cannot read the template length"), finish(err);
            uint32_t len = r.u32_host();
            if (len == 0 || r.remaining() < len) return con.error(where + ": cannot read the template"), finish(err);
            e.template_data = r.bytes(len);
            e.desc = templates.find(e.template_name);
        } else {
            size_t start = r.pos();
            if (r.remaining() < sha1_size + 4) return con.error(where + ": cannot read the file digest"), finish(err);
            ByteView fdigest = r.bytes(sha1_size);
            uint32_t flen = r.u32_host();
            if (flen > max_name) return con.error(where + ": file name too long"), finish(err);
            if (flen == 0 || r.remaining() < flen) return con.error(where + ": cannot read the file name"), finish(err);
            ByteView fname = r.bytes(flen);
            e.template_data = ByteView(data).subspan(start, r.pos() - start);
            e.desc = ima_desc;
            e.fields = {fdigest, fname};
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
