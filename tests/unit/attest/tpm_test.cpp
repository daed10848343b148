// The TPM through tpm2-tss against a real swtpm on loopback: banks, PCR
// reads, extends that match a software replay, and the error for no TPM.
#include "ima/tpm/tpm.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "attest_util.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/measurement/replay.hpp"

using namespace ima::measurement;
using ima::HashAlgo;

namespace {

// A free TCP port pair (P, P+1) on loopback.
int free_port_pair() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
        int port = ntohs(a.sin_port);
        close(s);
        int t = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in b = a;
        b.sin_port = htons(static_cast<uint16_t>(port + 1));
        bool ok = port < 65535 && bind(t, reinterpret_cast<sockaddr*>(&b), sizeof b) == 0;
        close(t);
        if (ok) return port;
    }
    return -1;
}

// swtpm in a temporary state folder, killed at the end.
class Swtpm {
public:
    Swtpm() {
        port_ = free_port_pair();
        std::string p = std::to_string(port_), c = std::to_string(port_ + 1);
        pid_ = fork();
        if (pid_ == 0) {
            std::string server = "type=tcp,port=" + p + ",bindaddr=127.0.0.1";
            std::string ctrl = "type=tcp,port=" + c + ",bindaddr=127.0.0.1";
            std::string state = "dir=" + dir_.path();
            execlp("swtpm", "swtpm", "socket", "--server", server.c_str(), "--ctrl", ctrl.c_str(), "--tpmstate",
                   state.c_str(), "--tpm2", "--flags", "not-need-init,startup-clear", static_cast<char*>(nullptr));
            _exit(127);
        }
        // Wait until it accepts connections.
        for (int i = 0; i < 100; ++i) {
            int s = socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(static_cast<uint16_t>(port_));
            bool up = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            close(s);
            if (up) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ~Swtpm() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
    }
    std::string tcti() const { return "swtpm:host=127.0.0.1,port=" + std::to_string(port_); }

private:
    test::TempDir dir_;
    int port_ = -1;
    pid_t pid_ = -1;
};

}  // namespace

TEST(Tpm, ReadsBanksAndExtendsLikeTheReplay) {
    Swtpm sw;
    ima::tpm::Tpm tpm(sw.tcti());
    auto banks = tpm.pcr_banks();
    ASSERT_NE(std::find(banks.begin(), banks.end(), HashAlgo::sha1), banks.end());
    ASSERT_NE(std::find(banks.begin(), banks.end(), HashAlgo::sha256), banks.end());
    auto before = tpm.read_pcrs(HashAlgo::sha256, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 23});
    ASSERT_EQ(before.size(), 18u);  // more than eight: several commands
    EXPECT_EQ(before[10], ima::Bytes(32, 0));

    auto l = load_measurement_list(test::synthetic("ng.log"));
    for (const auto& e : l->list.entries) {
        std::vector<std::pair<HashAlgo, ima::Bytes>> d;
        for (HashAlgo a : {HashAlgo::sha1, HashAlgo::sha256})
            d.emplace_back(
                a, e.is_violation() ? ima::Bytes(ima::hash_algo_info(a).digest_size, 0xff) : template_digest(e, a));
        tpm.extend(e.pcr, d);
    }
    PcrValues v = tpm.read_banks({HashAlgo::sha1, HashAlgo::sha256}, {10});
    auto want = test::expected_pcrs("ng.log", "pcrs");  // hashlib agrees with the TPM
    for (HashAlgo a : {HashAlgo::sha1, HashAlgo::sha256})
        EXPECT_EQ(ima::to_hex(v.banks[a].at(10)), ima::to_hex(want.banks[a].at(10)));
    ReplayOptions o{{HashAlgo::sha1, HashAlgo::sha256}, &v};
    auto r = replay(l->list, o);
    for (const auto& b : r.banks) EXPECT_TRUE(b.matched);
}

TEST(Tpm, NoTpmIsAnEnvironmentError) {
    int port = free_port_pair();
    try {
        ima::tpm::Tpm tpm("swtpm:host=127.0.0.1,port=" + std::to_string(port));
        tpm.pcr_banks();
        FAIL();
    } catch (const ima::Error& e) {
        EXPECT_EQ(e.kind(), ima::ErrorKind::env);
        EXPECT_NE(std::string(e.what()).find("swtpm:host=127.0.0.1,port=" + std::to_string(port)), std::string::npos)
            << e.what();
    }
}

TEST(Tpm, DefaultTctiFromTheEnvironment) {
    setenv("IMAEVM_TCTI", "swtpm:port=1234", 1);
    EXPECT_EQ(ima::tpm::default_tcti(), "swtpm:port=1234");
    unsetenv("IMAEVM_TCTI");
    unsetenv("TPM2TOOLS_TCTI");
    EXPECT_EQ(ima::tpm::default_tcti(), "device:/dev/tpmrm0");
    EXPECT_EQ(ima::tpm::tcti_from_environment(), "");  // the drop-in: tpm2-tss's own search
    setenv("TPM2TOOLS_TCTI", "mssim:port=2321", 1);
    EXPECT_EQ(ima::tpm::tcti_from_environment(), "mssim:port=2321");
    unsetenv("TPM2TOOLS_TCTI");
}
