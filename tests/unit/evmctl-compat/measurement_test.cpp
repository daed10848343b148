#include "measurement.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ima/digest.hpp"
#include "pcrs.hpp"

using namespace ima;
using namespace ima::evmctl;

namespace {

void put32(Bytes& b, uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));  // host order: little-endian here
}

// One ima-ng entry: d-ng "sha256:" digest, n-ng name.
Bytes ng_entry(const std::string& name, uint32_t pcr = 10) {
    Bytes data;
    std::string algo = "sha256:";
    Bytes dfield(algo.begin(), algo.end());
    dfield.push_back(0);
    append(dfield, digest_bytes(HashAlgo::sha256, view(name)));
    put32(data, static_cast<uint32_t>(dfield.size()));
    append(data, dfield);
    put32(data, static_cast<uint32_t>(name.size() + 1));
    append(data, view(name));
    data.push_back(0);
    Bytes e;
    put32(e, pcr);
    append(e, digest_bytes(HashAlgo::sha1, data));
    put32(e, 6);
    append(e, view(std::string("ima-ng")));
    put32(e, static_cast<uint32_t>(data.size()));
    append(e, data);
    return e;
}

struct Outcome {
    int status;
    std::string err;
};

Outcome run(ByteView list, const std::vector<std::string>& extra = {}) {
    char tmpl[] = "/tmp/evmctl-ml.XXXXXX";
    int fd = mkstemp(tmpl);
    EXPECT_EQ(write(fd, list.data(), list.size()), static_cast<ssize_t>(list.size()));
    close(fd);
    Options o;
    o.key = "/nonexistent.der";
    o.args = {"ima_measurement", tmpl};
    o.pcrs = extra;
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    int s = cmd_ima_measurement(o, con, "/nonexistent");
    unlink(tmpl);
    EXPECT_EQ(out.str(), "");  // evmctl prints nothing on stdout here
    return {s, err.str()};
}

}  // namespace

TEST(Measurement, WithoutPcrsTheTemplateDigestsDecide) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/usr/bin/a"));
    EXPECT_EQ(run(list).status, 0);
    Bytes broken = list;
    broken[40] ^= 1;  // inside the first entry's template data
    EXPECT_EQ(run(broken).status, 1);
    EXPECT_EQ(run(Bytes{}).status, 125);
}

TEST(Measurement, PcrOutOfRangeIsOne) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/x", 24));
    EXPECT_EQ(run(list).status, 1);
}

TEST(Measurement, EveryTruncationEndsCleanly) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/usr/bin/a"));
    append(list, ng_entry("/usr/bin/b", 11));
    for (size_t cut = 0; cut <= list.size(); ++cut) {
        int s = run(ByteView(list).first(cut)).status;
        EXPECT_TRUE(s == 0 || s == 1 || s == 125) << cut << ": " << s;
    }
}

TEST(Measurement, MatchesPcrsReplayedPerBank) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/usr/bin/a"));
    // PCR 10 as the kernel extends it in the sha256 bank
    Bytes pcr(32, 0);
    Reader r(list);
    for (int i = 0; i < 2; ++i) {
        r.u32_host();
        r.bytes(20);
        r.skip(r.u32_host());
        ByteView data = r.bytes(r.u32_host());
        Hasher h(HashAlgo::sha256);
        h.update(pcr);
        h.update(digest_bytes(HashAlgo::sha256, data));
        pcr = h.finish();
    }
    char tmpl[] = "/tmp/evmctl-pcrs.XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    {
        std::ofstream f(tmpl);
        for (int i = 0; i < 24; ++i)
            f << "PCR-" << (i < 10 ? "0" : "") << i << ": " << (i == 10 ? to_hex(pcr) : std::string(64, '0')) << "\n";
    }
    EXPECT_EQ(run(list, {std::string("sha256,") + tmpl}).status, 0);
    {
        std::ofstream f(tmpl);
        f << "PCR-00: 00\n";
        for (int i = 1; i < 24; ++i) f << "PCR-" << (i < 10 ? "0" : "") << i << ": " << std::string(64, 'a') << "\n";
    }
    Outcome bad = run(list, {std::string("sha256,") + tmpl});
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.err.find("Failed to match"), std::string::npos);
    unlink(tmpl);
}
