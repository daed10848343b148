// Signers shared by the worker threads of one run: each thread borrows one for
// a file and gives it back, so an EVP_PKEY_CTX is never used by two threads.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "ima/signature.hpp"

namespace ima {

class SignerPool {
public:
    SignerPool(const PrivateKey& key, KeyId keyid) : key_(key), keyid_(keyid) {}

    class Lease {
    public:
        Lease(SignerPool& pool, std::unique_ptr<Signer> s) : pool_(pool), s_(std::move(s)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { pool_.give_back(std::move(s_)); }
        Signer& operator*() { return *s_; }
        Signer* operator->() { return s_.get(); }

    private:
        SignerPool& pool_;
        std::unique_ptr<Signer> s_;
    };

    Lease borrow() {
        {
            std::lock_guard lk(m_);
            if (!free_.empty()) {
                auto s = std::move(free_.back());
                free_.pop_back();
                return Lease(*this, std::move(s));
            }
        }
        return Lease(*this, std::make_unique<Signer>(key_, keyid_));
    }
    const KeyId& keyid() const { return keyid_; }

private:
    void give_back(std::unique_ptr<Signer> s) {
        std::lock_guard lk(m_);
        free_.push_back(std::move(s));
    }
    const PrivateKey& key_;
    KeyId keyid_;
    std::mutex m_;
    std::vector<std::unique_ptr<Signer>> free_;
};

}  // namespace ima
