// SPDX-License-Identifier: GPL-2.0
/*
 * kni_main.c - rte_kni module: /dev/kni, its ioctls and mmap, parameters.
 *
 * Each open of /dev/kni is a context: the interfaces it creates live in the
 * opener's network namespace and die with the file (close, exit, kill -9),
 * together with the packet memory it pinned.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "kni.h"

/*
 * A module parameter naming one of a fixed set of choices, set at load:
 * "" is the first (the default).  A wrong name fails the load.
 */
static int kni_choice_set(const char *val, const struct kernel_param *kp)
{
	struct kni_choice *c = kp->arg;
	char list[128];
	unsigned int i;
	int len = 0;
	int v;

	v = *val && *val != '\n' ? __sysfs_match_string(c->names, c->n, val) : 0;
	if (v >= 0) {
		c->val = v;
		return 0;
	}
	for (i = 0; i < c->n; i++)
		len += scnprintf(list + len, sizeof(list) - len, "%s%s",
				 i ? ", " : "", c->names[i]);
	pr_err("%s=%s: expected one of %s\n", kp->name, val, list);
	return -EINVAL;
}

static int kni_choice_get(char *buf, const struct kernel_param *kp)
{
	const struct kni_choice *c = kp->arg;

	return sysfs_emit(buf, "%s\n", c->names[c->val]);
}

const struct kernel_param_ops kni_choice_ops = {
	.set	= kni_choice_set,
	.get	= kni_choice_get,
};

static const char * const kni_carrier_names[] = { "off", "on" };
struct kni_choice kni_carrier = KNI_CHOICE(kni_carrier_names);
module_param_cb(carrier, &kni_choice_ops, &kni_carrier, 0444);
MODULE_PARM_DESC(carrier,
		 "Carrier when an interface goes up, until the application sets its link: \"off\" (default) or \"on\"");

/* The original KNI's names: programs written for it set them. */
static const char * const kni_lo_mode_names[] = {
	[KNI_LO_NONE]		= "lo_mode_none",
	[KNI_LO_FIFO]		= "lo_mode_fifo",
	[KNI_LO_FIFO_SKB]	= "lo_mode_fifo_skb",
};
struct kni_choice kni_lo_mode = KNI_CHOICE(kni_lo_mode_names);
module_param_cb(lo_mode, &kni_choice_ops, &kni_lo_mode, 0444);
MODULE_PARM_DESC(lo_mode,
		 "Loopback for testing an application without the stack: \"lo_mode_none\" (default), \"lo_mode_fifo\" (every frame from the application comes back to it, copied mbuf to mbuf) or \"lo_mode_fifo_skb\" (the same, through an skb)");

/* A module parameter that takes a whole number within bounds. */
static int kni_bounded_set(const char *val, const struct kernel_param *kp)
{
	struct kni_bounded *b = kp->arg;
	unsigned int v;
	int err;

	err = kstrtouint(val, 0, &v);
	if (err)
		return err;
	if (v < b->min || v > b->max) {
		pr_err("%s=%u: must be %u..%u\n", kp->name, v, b->min, b->max);
		return -EINVAL;
	}
	WRITE_ONCE(b->val, v);
	return 0;
}

static int kni_bounded_get(char *buf, const struct kernel_param *kp)
{
	const struct kni_bounded *b = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(b->val));
}

static const struct kernel_param_ops kni_bounded_ops = {
	.set	= kni_bounded_set,
	.get	= kni_bounded_get,
};

/*
 * Up and MTU changes wait for the application without rtnl, but the
 * process that asked waits all that time: keep it short enough for ip(8).
 */
struct kni_bounded kni_request_timeout_ms = { 3000, 10, 10000 };
module_param_cb(request_timeout_ms, &kni_bounded_ops, &kni_request_timeout_ms, 0644);
MODULE_PARM_DESC(request_timeout_ms,
		 "How long up, MTU, promiscuous and allmulti changes wait for the application (ms, 10..10000, default 3000)");

/* What one open /dev/kni may hold: its memory is charged, its count too. */
struct kni_bounded kni_max_interfaces = { RTE_KNI_MAX_IFACES, 1, RTE_KNI_MAX_IFACES };
module_param_cb(max_interfaces, &kni_bounded_ops, &kni_max_interfaces, 0644);
MODULE_PARM_DESC(max_interfaces,
		 "Interfaces one open /dev/kni may create (1..1024, default 1024)");

/*
 * All of our deferred work, none on the system workqueues (which 7.x
 * deprecates): destroyed, so drained, before the module goes.
 */
struct workqueue_struct *kni_wq;

static bool kni_may_admin(const struct kni_ctx *ctx)
{
	return ns_capable(ctx->net->user_ns, CAP_NET_ADMIN);
}

static int kni_fop_open(struct inode *inode, struct file *file)
{
	struct kni_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->devs);
	ctx->net = get_net(current->nsproxy->net_ns);
	kni_mem_init(&ctx->mem);
	file->private_data = ctx;
	return 0;
}

static int kni_fop_release(struct inode *inode, struct file *file)
{
	struct kni_ctx *ctx = file->private_data;

	kni_dev_release_all(ctx);
	kni_mem_release(&ctx->mem);
	put_net(ctx->net);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return 0;
}

static long kni_ioctl_version(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_version v;
	u32 theirs;

	if (copy_from_user(&v, arg, sizeof(v)))
		return -EFAULT;
	theirs = v.abi_version;
	v.abi_version = RTE_KNI_ABI_VERSION;
	v.features &= RTE_KNI_FEATURES;
	if (copy_to_user(arg, &v, sizeof(v)))
		return -EFAULT;
	if (theirs != RTE_KNI_ABI_VERSION) {
		pr_warn_ratelimited("%s[%d]: library ABI %u, module ABI %u: rebuild one to match\n",
				    current->comm, task_pid_nr(current), theirs,
				    RTE_KNI_ABI_VERSION);
		return -EPROTO;
	}
	mutex_lock(&ctx->lock);
	ctx->abi_ok = true;
	WRITE_ONCE(ctx->features, v.features);
	mutex_unlock(&ctx->lock);
	return 0;
}

static long kni_ioctl_reg_mem(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_mem_region r;
	int err;

	if (!kni_may_admin(ctx))
		return -EPERM;
	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	mutex_lock(&ctx->lock);
	err = kni_mem_register(&ctx->mem, r.addr, r.len);
	mutex_unlock(&ctx->lock);
	return err;
}

static long kni_ioctl_create(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_create c;
	int err;

	if (!kni_may_admin(ctx))
		return -EPERM;
	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	mutex_lock(&ctx->lock);
	err = kni_dev_create(ctx, &c);
	mutex_unlock(&ctx->lock);
	if (err)
		return err;
	/* The interface exists; the caller can still find it with INFO. */
	if (copy_to_user(arg, &c, sizeof(c)))
		return -EFAULT;
	return 0;
}

static long kni_ioctl_release(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_release r;
	int err;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	mutex_lock(&ctx->lock);
	err = kni_dev_release(ctx, r.name);
	mutex_unlock(&ctx->lock);
	return err;
}

/*
 * The interface @ifindex, held through *ref, for a request of @ctx: its
 * own, or another file's if the caller is an admin (as for INFO and mmap).
 */
static struct kni_dev *kni_ioctl_target(struct kni_ctx *ctx, int ifindex,
					struct net_device **ref)
{
	struct kni_dev *kni = kni_dev_get(ctx, ifindex, ref);

	if (!kni)
		return ERR_PTR(-ENODEV);
	if (kni->ctx != ctx && !kni_may_admin(ctx)) {
		dev_put(*ref);
		return ERR_PTR(-EPERM);
	}
	return kni;
}

static long kni_ioctl_wakeup(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_wakeup w;
	struct net_device *ref;
	struct kni_dev *kni;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	kni = kni_ioctl_target(ctx, w.ifindex, &ref);
	if (IS_ERR(kni))
		return PTR_ERR(kni);
	kni_net_kick(kni);
	dev_put(ref);
	return 0;
}

static long kni_ioctl_link(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_link l;
	struct net_device *ref;
	struct kni_dev *kni;
	int ret;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	kni = kni_ioctl_target(ctx, l.ifindex, &ref);
	if (IS_ERR(kni))
		return PTR_ERR(kni);
	ret = kni_net_set_link(kni, &l);
	dev_put(ref);
	return ret;
}

static long kni_ioctl_mc_list(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_mc_list *mc;
	struct net_device *ref;
	struct kni_dev *kni;
	long err = 0;

	mc = kzalloc(sizeof(*mc), GFP_KERNEL_ACCOUNT);
	if (!mc)
		return -ENOMEM;
	if (copy_from_user(&mc->ifindex, arg, sizeof(mc->ifindex))) {
		err = -EFAULT;
		goto out;
	}
	kni = kni_ioctl_target(ctx, mc->ifindex, &ref);
	if (IS_ERR(kni)) {
		err = PTR_ERR(kni);
		goto out;
	}
	mc->count = kni_net_mc_read(kni->netdev, mc->addr);
	dev_put(ref);
	if (copy_to_user(arg, mc, sizeof(*mc)))
		err = -EFAULT;
out:
	kfree(mc);
	return err;
}

static long kni_ioctl_offload(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_offload o;
	struct net_device *ref;
	struct kni_dev *kni;
	int err;

	/* Changes are posted as requests only such a library reads. */
	if (!(READ_ONCE(ctx->features) & RTE_KNI_FEAT_OFFLOAD))
		return -EOPNOTSUPP;
	if (copy_from_user(&o, arg, sizeof(o)))
		return -EFAULT;
	kni = kni_ioctl_target(ctx, o.ifindex, &ref);
	if (IS_ERR(kni))
		return PTR_ERR(kni);
	/* Only the application that moves its mbufs says what they carry. */
	if (kni->ctx != ctx)
		err = -EPERM;
	else
		err = kni_net_set_offloads(kni, &o);
	dev_put(ref);
	if (err)
		return err;
	if (copy_to_user(arg, &o, sizeof(o)))
		return -EFAULT;
	return 0;
}

/* A secondary process asks where an existing interface's rings are. */
static long kni_ioctl_info(struct kni_ctx *ctx, void __user *arg)
{
	struct rte_kni_create c;
	struct net_device *ref;
	struct kni_dev *kni;
	int err = 0;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	kni = kni_dev_find(ctx, c.name, &ref);
	if (!kni)
		return -ENODEV;
	if (kni->ctx != ctx && !kni_may_admin(ctx))
		err = -EPERM;
	else
		kni_dev_fill_info(kni, &c);
	dev_put(ref);
	if (err)
		return err;
	if (copy_to_user(arg, &c, sizeof(c)))
		return -EFAULT;
	return 0;
}

static long kni_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kni_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (cmd == RTE_KNI_IOC_VERSION)
		return kni_ioctl_version(ctx, uarg);
	/* Nothing else until both sides agreed on the ABI. */
	if (!READ_ONCE(ctx->abi_ok))
		return -EPROTO;

	switch (cmd) {
	case RTE_KNI_IOC_REG_MEM:
		return kni_ioctl_reg_mem(ctx, uarg);
	case RTE_KNI_IOC_CREATE:
		return kni_ioctl_create(ctx, uarg);
	case RTE_KNI_IOC_RELEASE:
		return kni_ioctl_release(ctx, uarg);
	case RTE_KNI_IOC_WAKEUP:
		return kni_ioctl_wakeup(ctx, uarg);
	case RTE_KNI_IOC_INFO:
		return kni_ioctl_info(ctx, uarg);
	case RTE_KNI_IOC_LINK:
		return kni_ioctl_link(ctx, uarg);
	case RTE_KNI_IOC_MC_LIST:
		return kni_ioctl_mc_list(ctx, uarg);
	case RTE_KNI_IOC_OFFLOAD:
		return kni_ioctl_offload(ctx, uarg);
	default:
		return -ENOTTY;
	}
}

/* mmap(fd, offset = mmap_offset from CREATE/INFO): the interface's rings. */
static int kni_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kni_ctx *ctx = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	struct net_device *ref;
	struct kni_dev *kni;
	int err;

	if (!READ_ONCE(ctx->abi_ok))
		return -EPROTO;
	/*
	 * The rings are shared with the kernel or they are nothing: a private
	 * copy would leave the application writing to pages we never read.
	 * They hold data, never code.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))	/* MAP_SHARED, even read-only */
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (off & ((1ULL << 32) - 1) || off >> 32 > INT_MAX)
		return -EINVAL;
	kni = kni_dev_get(ctx, off >> 32, &ref);
	if (!kni)
		return -ENODEV;
	if (kni->ctx != ctx && !kni_may_admin(ctx))
		err = -EPERM;
	else if (size > kni->ring_mem_size)
		err = -EINVAL;
	else
		err = vm_map_pages_zero(vma, kni->ring_pages, kni->ring_npages);
	if (!err) {
		/* Neither grown by mremap(), nor dumped, nor made executable. */
		vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
		vm_flags_clear(vma, VM_MAYEXEC);
	}
	dev_put(ref);
	return err;
}

static const struct file_operations kni_fops = {
	.owner		= THIS_MODULE,
	.open		= kni_fop_open,
	.release	= kni_fop_release,
	.unlocked_ioctl	= kni_ioctl,
	/* Every ioctl argument has the same layout for 32-bit processes. */
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= kni_mmap,
	.llseek		= noop_llseek,
};

static struct miscdevice kni_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= RTE_KNI_DEVICE,
	.fops	= &kni_fops,
	.mode	= 0600,
};

static int __init kni_init(void)
{
	int err;

	err = kni_poll_init();
	if (err)
		return err;
	kni_wq = alloc_workqueue("kni", WQ_UNBOUND, 0);
	if (!kni_wq) {
		err = -ENOMEM;
		goto err_poll;
	}
	err = misc_register(&kni_misc);
	if (err)
		goto err_wq;
	pr_info("rte_kni %s loaded (ABI %u, kthread_mode=%s, carrier=%s)\n",
		KNI_VERSION, RTE_KNI_ABI_VERSION, kni_poll_mode_name(),
		kni_carrier_names[kni_carrier.val]);
	if (kni_lo_mode.val != KNI_LO_NONE)
		pr_notice("lo_mode=%s: frames from applications go back to them, not to the stack\n",
			  kni_lo_mode_names[kni_lo_mode.val]);
	return 0;

err_wq:
	destroy_workqueue(kni_wq);
err_poll:
	kni_poll_exit();
	return err;
}

static void __exit kni_exit(void)
{
	misc_deregister(&kni_misc);
	destroy_workqueue(kni_wq);
	kni_poll_exit();
}

module_init(kni_init);
module_exit(kni_exit);

MODULE_DESCRIPTION("Kernel NIC Interface: exception path between DPDK applications and the network stack");
MODULE_AUTHOR("rte-kni developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KNI_VERSION);
